#pragma once

#include <QByteArray>
#include <QString>

//! Room passwords: salted PBKDF2-HMAC-SHA256 (OpenSSL), compared in constant time. Safe to call from any thread.
namespace inkroom::server::password {

inline constexpr int SaltBytes = 16;
inline constexpr int HashBytes = 32;

//! A stored password: never the password itself.
struct Hash
{
    QByteArray salt;
    QByteArray hash;
    int iterations = 0;
    [[nodiscard]] bool isSet() const { return !hash.isEmpty(); }
};

//! A new random salt from the system's cryptographic generator.
[[nodiscard]] QByteArray newSalt();
//! PBKDF2-HMAC-SHA256 of the UTF-8 password; empty on failure. Slow on purpose: call it off the server's thread.
[[nodiscard]] QByteArray derive(const QString &password, const QByteArray &salt, int iterations);
//! Hash a new password with a new salt.
[[nodiscard]] Hash make(const QString &password, int iterations);
//! Does the password match? Slow (it derives the hash again).
[[nodiscard]] bool verify(const QString &password, const Hash &stored);
//! Compare two byte strings in time that does not depend on where they differ.
[[nodiscard]] bool constantTimeEqual(const QByteArray &a, const QByteArray &b);

} // namespace inkroom::server::password
