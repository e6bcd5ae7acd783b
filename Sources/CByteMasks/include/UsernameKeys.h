// The keys whose value is a username: one table for the C candidate stage (which compiles its
// prefilter from these lists) and for Swift (`UsernameContexts.keys`, `.jsonKeys`, read through
// the functions below). `UsernameContextTests` checks that the two agree.
#ifndef ANONLOG_USERNAME_KEYS_H
#define ANONLOG_USERNAME_KEYS_H

#include <stddef.h>
#include <stdint.h>

/// `key=value` keys, compared ignoring case: PAM's `user=`, `ruser=`, `logname=`; dovecot's
/// `user=<NAME>`; postfix's `sasl_username=`; query strings' `username=`, `login=`; LDAP DNs'
/// `uid=NAME,`. At most 13 bytes, letters only in the last eight (the C side compares those).
#define ANONLOG_USERNAME_KEYS(X) X("user") X("ruser") X("login") X("logname") X("username") X("sasl_username") X("uid")

/// JSON keys whose string value is a username (`"group"` only when it equals the owner), compared
/// exactly. At most 8 bytes.
#define ANONLOG_USERNAME_JSON_KEYS(X) X("user") X("login") X("owner") X("group") X("username")

/// The number of `key=value` keys (`json` 0) or JSON keys (`json` 1).
size_t anonlog_username_key_count(int json);

/// Key `index` of that list, NUL-terminated.
const char *anonlog_username_key(int json, size_t index);

/// Whether the `length` bytes at `p` equal `text` (`length` bytes), letters in any case when `fold`.
static inline int anonlog_key_equals(const uint8_t *p, size_t length, const char *text, int fold) {
    for (size_t k = 0; k < length; k++) {
        uint8_t b = p[k];
        if (fold && (uint8_t)((b | 0x20) - 'a') <= 25) b |= 0x20;
        if (b != (uint8_t)text[k]) return 0;
    }
    return 1;
}

/// Whether the `length` bytes at `p` are a `key=value` username key (any case; `json` 0) or a
/// JSON one (exactly; `json` 1). Inline, so the detectors compare without a call or a lookup
/// of a Swift global (each read of a `static let` costs a `swift_once` call).
static inline int anonlog_is_username_key(const uint8_t *p, size_t length, int json) {
#define ANONLOG_KEY_IS(text) || (length == sizeof(text) - 1 && anonlog_key_equals(p, length, text, !json))
    return json ? 0 ANONLOG_USERNAME_JSON_KEYS(ANONLOG_KEY_IS) : 0 ANONLOG_USERNAME_KEYS(ANONLOG_KEY_IS);
#undef ANONLOG_KEY_IS
}

#endif
