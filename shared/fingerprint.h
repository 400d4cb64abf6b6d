#pragma once

#include <QByteArray>
#include <QString>
#include <QStringView>

/** @brief Certificate fingerprints as people see them: the SHA-256 of the certificate's DER bytes, written as 32
 * upper-case hex pairs separated by colons ("AB:CD:..."), which is what `openssl x509 -fingerprint -sha256` prints.
 */
namespace inkroom::proto {

//! The display form of a 32-byte SHA-256 digest; empty for anything else.
[[nodiscard]] QString formatFingerprint(const QByteArray &sha256);

/** The display form of a fingerprint as people paste it: with or without colons or spaces, any case, optionally
 *  prefixed "SHA256:" or "sha256/". Empty when it is not 64 hex digits. */
[[nodiscard]] QString normaliseFingerprint(QStringView text);

} // namespace inkroom::proto
