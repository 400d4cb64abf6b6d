#include "tlsidentity.h"

#include "fingerprint.h"
#include "logging.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QNetworkInterface>
#include <QRandomGenerator>
#include <QSaveFile>
#include <QSslConfiguration>
#include <QSslSocket>
#include <QSysInfo>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>

using namespace Qt::StringLiterals;

namespace inkroom::server::tls {

namespace {

struct Free
{
    void operator()(BIO *p) const { BIO_free_all(p); }
    void operator()(EVP_PKEY *p) const { EVP_PKEY_free(p); }
    void operator()(X509 *p) const { X509_free(p); }
    void operator()(X509_EXTENSION *p) const { X509_EXTENSION_free(p); }
    void operator()(BIGNUM *p) const { BN_free(p); }
};
template<class T> using Owned = std::unique_ptr<T, Free>;

constexpr auto kCertificateFile = "server.crt";

//! Never ask for a passphrase on the terminal: an encrypted key simply fails to load.
int noPassphrase(char *, int, int, void *)
{
    return 0;
}
constexpr auto kKeyFile = "server.key";

//! The newest OpenSSL error in words (and the error queue emptied).
QString opensslError(const char *what)
{
    char text[256] = {};
    const unsigned long code = ERR_get_error();
    if (code != 0)
        ERR_error_string_n(code, text, sizeof text);
    ERR_clear_error();
    return code != 0 ? u"%1: %2"_s.arg(QLatin1StringView(what), QString::fromLatin1(text)) : QString::fromLatin1(what);
}

QByteArray readBio(BIO *bio)
{
    QByteArray bytes(qsizetype(BIO_ctrl_pending(bio)), Qt::Uninitialized);
    const int read = bytes.isEmpty() ? 0 : BIO_read(bio, bytes.data(), int(bytes.size()));
    bytes.truncate(std::max(0, read));
    return bytes;
}

Owned<BIO> bioOf(const QByteArray &bytes)
{
    return Owned<BIO>(BIO_new_mem_buf(bytes.constData(), int(bytes.size())));
}

bool addExtension(X509 *certificate, X509 *issuer, int nid, const QByteArray &value)
{
    X509V3_CTX context;
    X509V3_set_ctx_nodb(&context);
    X509V3_set_ctx(&context, issuer, certificate, nullptr, nullptr, 0);
    Owned<X509_EXTENSION> extension(X509V3_EXT_conf_nid(nullptr, &context, nid, value.constData()));
    return extension && X509_add_ext(certificate, extension.get(), -1) == 1;
}

bool isSafeDnsName(const QString &name)
{
    if (name.isEmpty() || name.size() > 253)
        return false;
    for (const QChar c : name) {
        if (!(c.isLetterOrNumber() && c.unicode() < 128) && c != u'-' && c != u'.')
            return false;
    }
    return true;
}

bool writeFile(const QString &path, const QByteArray &bytes, QFileDevice::Permissions permissions, QString *error)
{
    QSaveFile file(path);
    // The permissions are set before anything is written, so the key is never readable by others.
    if (!file.open(QIODevice::WriteOnly) || !file.setPermissions(permissions) || file.write(bytes) != bytes.size()
        || !file.commit()) {
        *error = u"cannot write %1: %2"_s.arg(path, file.errorString());
        return false;
    }
    return true;
}

} // namespace

std::optional<PemPair> makeCertificate(const CertificateRequest &request, const PemPair *issuer, QString *error)
{
    const auto failed = [error](const char *what) {
        *error = opensslError(what);
        return std::nullopt;
    };
    Owned<EVP_PKEY> key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
    if (!key)
        return failed("cannot make an EC P-256 key");

    Owned<X509> issuerCertificate;
    Owned<EVP_PKEY> issuerKey;
    if (issuer) {
        issuerCertificate.reset(PEM_read_bio_X509(bioOf(issuer->certificate).get(), nullptr, nullptr, nullptr));
        issuerKey.reset(PEM_read_bio_PrivateKey(bioOf(issuer->key).get(), nullptr, noPassphrase, nullptr));
        if (!issuerCertificate || !issuerKey)
            return failed("cannot read the issuer's certificate or key");
    }

    Owned<X509> certificate(X509_new());
    if (!certificate || X509_set_version(certificate.get(), 2) != 1)
        return failed("cannot make a certificate");
    // A random positive 127-bit serial number.
    QByteArray serial(16, Qt::Uninitialized);
    for (char &byte : serial)
        byte = char(QRandomGenerator::system()->bounded(256));
    serial[0] = char(serial[0] & 0x7f);
    Owned<BIGNUM> serialNumber(
        BN_bin2bn(reinterpret_cast<const unsigned char *>(serial.constData()), int(serial.size()), nullptr));
    if (!serialNumber || !BN_to_ASN1_INTEGER(serialNumber.get(), X509_get_serialNumber(certificate.get())))
        return failed("cannot set the serial number");
    // Valid from an hour ago, for clocks that are a little behind.
    if (!X509_gmtime_adj(X509_getm_notBefore(certificate.get()), -3600)
        || !X509_time_adj_ex(X509_getm_notAfter(certificate.get()), request.validityDays, 0, nullptr))
        return failed("cannot set the validity");
    if (X509_set_pubkey(certificate.get(), key.get()) != 1)
        return failed("cannot set the public key");

    X509_NAME *subject = X509_get_subject_name(certificate.get());
    const QByteArray commonName = request.commonName.toUtf8().left(64);
    if (X509_NAME_add_entry_by_txt(subject, "O", MBSTRING_UTF8, reinterpret_cast<const unsigned char *>("Inkroom"), -1,
                                   -1, 0)
            != 1
        || X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_UTF8,
                                      reinterpret_cast<const unsigned char *>(commonName.constData()),
                                      int(commonName.size()), -1, 0)
            != 1)
        return failed("cannot set the subject");
    X509 *signer = issuer ? issuerCertificate.get() : certificate.get();
    if (X509_set_issuer_name(certificate.get(), X509_get_subject_name(signer)) != 1)
        return failed("cannot set the issuer");

    QByteArrayList names;
    for (const QString &name : request.dnsNames) {
        if (isSafeDnsName(name))
            names.append("DNS:" + name.toLatin1());
    }
    for (const QHostAddress &address : request.addresses) {
        if (!address.isNull() && address.scopeId().isEmpty())
            names.append("IP:" + address.toString().toLatin1());
    }
    const bool extensionsOk = addExtension(certificate.get(), signer, NID_basic_constraints,
                                           request.isCa ? "critical,CA:TRUE" : "critical,CA:FALSE")
        // A self-signed certificate has no key usage: limiting it to keys for TLS would leave it unable to have
        // signed itself (OpenSSL would not even call it self-signed).
        && (!(request.isCa || issuer)
            || addExtension(certificate.get(), signer, NID_key_usage,
                            request.isCa ? "critical,keyCertSign,cRLSign,digitalSignature"
                                         : "critical,digitalSignature,keyAgreement"))
        && addExtension(certificate.get(), signer, NID_subject_key_identifier, "hash")
        && (request.isCa || addExtension(certificate.get(), signer, NID_ext_key_usage, "serverAuth"))
        && (!issuer || addExtension(certificate.get(), signer, NID_authority_key_identifier, "keyid:always"))
        && (names.isEmpty() || addExtension(certificate.get(), signer, NID_subject_alt_name, names.join(',')));
    if (!extensionsOk)
        return failed("cannot add the certificate's extensions");
    if (X509_sign(certificate.get(), issuer ? issuerKey.get() : key.get(), EVP_sha256()) <= 0)
        return failed("cannot sign the certificate");

    Owned<BIO> certificateOut(BIO_new(BIO_s_mem()));
    Owned<BIO> keyOut(BIO_new(BIO_s_mem()));
    if (!certificateOut || !keyOut || PEM_write_bio_X509(certificateOut.get(), certificate.get()) != 1
        || PEM_write_bio_PrivateKey(keyOut.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1)
        return failed("cannot write the certificate or key");
    return PemPair {readBio(certificateOut.get()), readBio(keyOut.get())};
}

QString fingerprintOf(const QSslCertificate &certificate)
{
    return certificate.isNull() ? QString() : proto::formatFingerprint(certificate.digest(QCryptographicHash::Sha256));
}

QString Identity::fingerprint() const
{
    return fingerprintOf(certificate);
}

QSslConfiguration Identity::serverConfiguration() const
{
    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    configuration.setLocalCertificateChain(QList<QSslCertificate> {certificate} + chain);
    configuration.setPrivateKey(key);
    configuration.setPeerVerifyMode(QSslSocket::VerifyNone);
    configuration.setProtocol(QSsl::TlsV1_2OrLater);
    return configuration;
}

std::optional<Identity> load(const QString &certificatePath, const QString &keyPath, QString *error)
{
    QFile certificateFile(certificatePath);
    if (!certificateFile.open(QIODevice::ReadOnly)) {
        *error = u"cannot read the certificate %1: %2"_s.arg(certificatePath, certificateFile.errorString());
        return std::nullopt;
    }
    QFile keyFile(keyPath);
    if (!keyFile.open(QIODevice::ReadOnly)) {
        *error = u"cannot read the private key %1: %2"_s.arg(keyPath, keyFile.errorString());
        return std::nullopt;
    }
    const QByteArray certificatePem = certificateFile.readAll();
    const QByteArray keyPem = keyFile.readAll();

    // OpenSSL checks the pair (Qt cannot tell whether a key belongs to a certificate).
    Owned<X509> x509(PEM_read_bio_X509(bioOf(certificatePem).get(), nullptr, nullptr, nullptr));
    if (!x509) {
        *error = opensslError(qPrintable(u"%1 holds no PEM certificate"_s.arg(certificatePath)));
        return std::nullopt;
    }
    Owned<EVP_PKEY> key(PEM_read_bio_PrivateKey(bioOf(keyPem).get(), nullptr, noPassphrase, nullptr));
    if (!key) {
        *error = opensslError(qPrintable(u"%1 holds no unencrypted PEM private key"_s.arg(keyPath)));
        return std::nullopt;
    }
    if (X509_check_private_key(x509.get(), key.get()) != 1) {
        ERR_clear_error();
        *error = u"the private key %1 does not belong to the certificate %2"_s.arg(keyPath, certificatePath);
        return std::nullopt;
    }
    QSsl::KeyAlgorithm algorithm = QSsl::Opaque;
    switch (EVP_PKEY_get_base_id(key.get())) {
    case EVP_PKEY_RSA:
        algorithm = QSsl::Rsa;
        break;
    case EVP_PKEY_EC:
        algorithm = QSsl::Ec;
        break;
    default:
        *error = u"the private key %1 is neither RSA nor EC"_s.arg(keyPath);
        return std::nullopt;
    }

    Identity identity;
    const QList<QSslCertificate> certificates = QSslCertificate::fromData(certificatePem, QSsl::Pem);
    identity.key = QSslKey(keyPem, algorithm, QSsl::Pem, QSsl::PrivateKey);
    if (certificates.isEmpty() || identity.key.isNull()) {
        *error = u"Qt's TLS backend cannot use %1 and %2"_s.arg(certificatePath, keyPath);
        return std::nullopt;
    }
    identity.certificate = certificates.first();
    identity.chain = certificates.mid(1);
    identity.certificatePath = certificatePath;
    identity.keyPath = keyPath;
    if (identity.certificate.expiryDate() < QDateTime::currentDateTimeUtc())
        qCWarning(lcServer).noquote() << "the certificate" << certificatePath << "expired on"
                                      << identity.certificate.expiryDate().toString(Qt::ISODate);
    return identity;
}

std::optional<Identity> loadOrGenerate(const QString &directory, QString *error)
{
    const QString certificatePath = directory + u'/' + QLatin1StringView(kCertificateFile);
    const QString keyPath = directory + u'/' + QLatin1StringView(kKeyFile);
    const bool haveCertificate = QFileInfo::exists(certificatePath);
    const bool haveKey = QFileInfo::exists(keyPath);
    if (haveCertificate && haveKey)
        return load(certificatePath, keyPath, error);
    if (haveCertificate || haveKey) {
        *error = u"%1 exists but %2 does not: restore it, or delete both to make a new identity (clients that "
                 "trusted the old certificate will then refuse the server until their users trust the new one)"_s.arg(
                     haveCertificate ? certificatePath : keyPath, haveCertificate ? keyPath : certificatePath);
        return std::nullopt;
    }

    if (!QDir().mkpath(directory)) {
        *error = u"cannot create %1"_s.arg(directory);
        return std::nullopt;
    }
    QFile::setPermissions(directory, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    CertificateRequest request;
    request.dnsNames = localHostNames();
    request.addresses = localAddresses();
    request.commonName = u"Inkroom server on %1"_s.arg(request.dnsNames.value(0, u"localhost"_s));
    const std::optional<PemPair> pem = makeCertificate(request, nullptr, error);
    if (!pem)
        return std::nullopt;
    // The key first: a certificate without its key is never left behind.
    if (!writeFile(keyPath, pem->key, QFileDevice::ReadOwner | QFileDevice::WriteOwner, error)
        || !writeFile(
            certificatePath, pem->certificate,
            QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadGroup | QFileDevice::ReadOther, error))
        return std::nullopt;
    std::optional<Identity> identity = load(certificatePath, keyPath, error);
    if (identity)
        identity->generated = true;
    return identity;
}

QStringList localHostNames()
{
    QStringList names;
    const QString host = QSysInfo::machineHostName().toLower();
    if (isSafeDnsName(host) && host != "localhost"_L1) {
        names << host;
        if (!host.contains(u'.'))
            names << host + u".local"_s;
    }
    names << u"localhost"_s;
    return names;
}

QList<QHostAddress> localAddresses()
{
    QList<QHostAddress> addresses = {QHostAddress(QHostAddress::LocalHost), QHostAddress(QHostAddress::LocalHostIPv6)};
    for (const QHostAddress &address : QNetworkInterface::allAddresses()) {
        if (address.isLinkLocal() || address.isLoopback() || addresses.contains(address))
            continue;
        addresses.append(address);
    }
    return addresses;
}

} // namespace inkroom::server::tls
