// The key lists of UsernameKeys.h as arrays, for Swift.
#include "UsernameKeys.h"

#define ANONLOG_KEY_ENTRY(text) text,
static const char *const keys[] = {ANONLOG_USERNAME_KEYS(ANONLOG_KEY_ENTRY)};
static const char *const jsonKeys[] = {ANONLOG_USERNAME_JSON_KEYS(ANONLOG_KEY_ENTRY)};

size_t anonlog_username_key_count(int json) {
    return json ? sizeof jsonKeys / sizeof jsonKeys[0] : sizeof keys / sizeof keys[0];
}

const char *anonlog_username_key(int json, size_t index) {
    return json ? jsonKeys[index] : keys[index];
}
