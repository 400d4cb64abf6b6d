#include "passwordhash.h"

#include <QRandomGenerator>

#include <openssl/crypto.h>
#include <openssl/evp.h>

namespace inkroom::server::password {

QByteArray newSalt()
{
    QByteArray salt(SaltBytes, Qt::Uninitialized);
    for (char &byte : salt)
        byte = char(QRandomGenerator::system()->bounded(256));
    return salt;
}

QByteArray derive(const QString &password, const QByteArray &salt, int iterations)
{
    if (iterations < 1 || salt.isEmpty())
        return {};
    const QByteArray utf8 = password.toUtf8();
    QByteArray out(HashBytes, Qt::Uninitialized);
    const int ok = PKCS5_PBKDF2_HMAC(
        utf8.constData(), int(utf8.size()), reinterpret_cast<const unsigned char *>(salt.constData()), int(salt.size()),
        iterations, EVP_sha256(), int(out.size()), reinterpret_cast<unsigned char *>(out.data()));
    return ok == 1 ? out : QByteArray();
}

Hash make(const QString &password, int iterations)
{
    Hash result;
    result.salt = newSalt();
    result.iterations = iterations;
    result.hash = derive(password, result.salt, iterations);
    return result;
}

bool verify(const QString &password, const Hash &stored)
{
    if (!stored.isSet())
        return false;
    return constantTimeEqual(derive(password, stored.salt, stored.iterations), stored.hash);
}

bool constantTimeEqual(const QByteArray &a, const QByteArray &b)
{
    if (a.size() != b.size() || a.isEmpty())
        return a.size() == b.size() && a.isEmpty();
    return CRYPTO_memcmp(a.constData(), b.constData(), size_t(a.size())) == 0;
}

} // namespace inkroom::server::password
