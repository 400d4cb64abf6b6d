#pragma once

#include <QHash>
#include <QJsonObject>
#include <QString>
#include <QUrl>

#include <functional>

namespace inkroom::client {

/** @brief The servers this user chose to trust: for each HOST:PORT, the SHA-256 fingerprint of its certificate.
 *
 * Kept in a JSON file ({"servers": {"192.168.1.20:7420": {"sha256": "AB:CD:...", "trusted": "<ISO date>"}}}) so
 * every session and every later run pins the same certificate; without a file, in memory for this object's life.
 * The file is read again on every lookup (another window may have trusted a server since) and written atomically
 * under a lock file.
 */
class KnownServers
{
public:
    //! path: the JSON file (created when the first server is trusted); empty: memory only.
    explicit KnownServers(const QString &path = {});

    [[nodiscard]] QString path() const { return m_path; }
    //! "host:port" of a ws:// or wss:// URL (lower-case host, IPv6 in brackets, port 443 when none is given).
    [[nodiscard]] static QString keyFor(const QUrl &server);

    //! The pinned fingerprint of server ("AB:CD:..."), or empty when it is not known.
    [[nodiscard]] QString fingerprintFor(const QString &key) const;
    //! Pin fingerprint for server. False (and *error) when the file cannot be written; memory keeps it anyway.
    bool remember(const QString &key, const QString &fingerprint, QString *error = nullptr);
    //! Forget server's pin.
    bool forget(const QString &key, QString *error = nullptr);

private:
    [[nodiscard]] QHash<QString, QString> read() const;
    //! Change the file's "servers" object under its lock.
    bool update(const std::function<void(QJsonObject &)> &change, QString *error);

    QString m_path;
    QHash<QString, QString> m_memory; //!< what this object pinned (and the whole store when there is no file)
};

} // namespace inkroom::client
