#pragma once

#include <QByteArray>
#include <QHostAddress>
#include <QList>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QString>
#include <QStringList>

#include <optional>

//! The server's TLS identity: its private key and certificate, made with OpenSSL or read from files.
namespace inkroom::server::tls {

//! What a new certificate says about its holder.
struct CertificateRequest
{
    QString commonName;
    QStringList dnsNames; //!< subjectAltName DNS entries
    QList<QHostAddress> addresses; //!< subjectAltName IP entries
    int validityDays = 3650;
    bool isCa = false; //!< a certificate authority (tests make one to sign a server's certificate)
};

//! A PEM certificate and its PEM private key (PKCS #8, unencrypted).
struct PemPair
{
    QByteArray certificate;
    QByteArray key;
};

/** A new EC P-256 key and an X.509 v3 certificate for it (SHA-256 signature, serverAuth, the request's names in
 *  subjectAltName): self-signed, or signed by issuer (a CA's PemPair). nullopt with *error on failure. */
[[nodiscard]] std::optional<PemPair> makeCertificate(const CertificateRequest &request, const PemPair *issuer,
                                                     QString *error);

//! The certificate a server presents, the intermediates after it, its key, and where they came from.
struct Identity
{
    QSslCertificate certificate;
    QList<QSslCertificate> chain; //!< intermediates that followed the certificate in its file
    QSslKey key;
    QString certificatePath;
    QString keyPath;
    bool generated = false; //!< made by this start

    //! SHA-256 of the certificate, "AB:CD:..." (see proto::formatFingerprint()).
    [[nodiscard]] QString fingerprint() const;
    //! The server side of TLS 1.2 or later with this certificate (and chain) and key; clients are not asked for one.
    [[nodiscard]] QSslConfiguration serverConfiguration() const;
};

/** Read a PEM certificate file (the server's certificate first, then any intermediates) and a PEM private key file
 *  (RSA or EC, unencrypted), and check that the key belongs to the certificate. */
[[nodiscard]] std::optional<Identity> load(const QString &certificatePath, const QString &keyPath, QString *error);

/** The identity kept in directory (server.crt and server.key), made on first use: a new key (file mode 0600) and a
 *  self-signed certificate for this computer's names and addresses, valid for ten years. Never replaces one of the
 *  two files when the other is missing: that is an error that names them. */
[[nodiscard]] std::optional<Identity> loadOrGenerate(const QString &directory, QString *error);

//! SHA-256 fingerprint of a certificate, "AB:CD:...".
[[nodiscard]] QString fingerprintOf(const QSslCertificate &certificate);

//! This computer's names for a certificate: its host name, host name.local, and localhost.
[[nodiscard]] QStringList localHostNames();
//! This computer's addresses for a certificate: every up interface's address but IPv6 link-local ones.
[[nodiscard]] QList<QHostAddress> localAddresses();

} // namespace inkroom::server::tls
