// The keys whose value is a username: one table for the C candidate stage (which compiles its
// prefilter from these lists) and for Swift (`UsernameContexts.keys`, `.jsonKeys`, read through
// the functions below). `UsernameContextTests` checks that the two agree.
#ifndef ANONLOG_USERNAME_KEYS_H
#define ANONLOG_USERNAME_KEYS_H

#include <stddef.h>

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

#endif
