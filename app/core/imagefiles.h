#pragma once

#include <QByteArray>
#include <QHash>
#include <QString>

#include <optional>

namespace inkroom::client {

/** @brief The bytes of images on this computer: those waiting to be uploaded, and a bounded cache of those fetched.
 *
 * In a state directory DIR: DIR/images/pending/<hash> holds the bytes of an image a change in the outbox shows, written
 * and synced to disk before that change enters the journal, so a queued image survives a crash or a restart with its
 * change (docs/PROTOCOL.md, "Durability on the client"); it is never evicted, and moves to the cache once no waiting
 * change needs it. DIR/images/cache/<hash> holds pictures fetched or uploaded before, at most cacheLimit() bytes (the
 * least recently used go first). Every file is mode 0600 in 0700 directories. Without a directory everything stays in
 * memory. Reads check the SHA-256: a damaged file is deleted and reads as missing.
 *
 * Plain file work, no signals: writes are meant for worker threads (a 10 MB sync is slow), reads are small enough
 * for anywhere only in tests; the Session reads and writes off the GUI thread.
 */
class ImageFiles
{
public:
    static constexpr qint64 DefaultCacheLimit = 256LL * 1024 * 1024;

    explicit ImageFiles(const QString &stateDirectory = {}, qint64 cacheLimit = DefaultCacheLimit);

    [[nodiscard]] const QString &directory() const { return m_directory; }
    [[nodiscard]] qint64 cacheLimit() const { return m_cacheLimit; }

    //! Keep the bytes of an image a waiting change shows; on disk (synced) when this returns true.
    bool putPending(const QString &hash, const QByteArray &bytes, QString *error);
    //! Keep fetched bytes in the cache (evicting the least recently used past the limit).
    bool putCached(const QString &hash, const QByteArray &bytes);
    //! No waiting change needs hash any more: its pending bytes move to the cache.
    void settle(const QString &hash);
    //! The bytes of hash, pending or cached (nullopt: not here, or damaged and deleted).
    [[nodiscard]] std::optional<QByteArray> read(const QString &hash);
    [[nodiscard]] bool hasPending(const QString &hash) const;
    //! Is hash here, pending or cached (without reading or checking it)?
    [[nodiscard]] bool has(const QString &hash) const;
    //! Bytes the cache holds now.
    [[nodiscard]] qint64 cacheBytes() const;

private:
    [[nodiscard]] QString pendingPath(const QString &hash) const;
    [[nodiscard]] QString cachePath(const QString &hash) const;
    void evict();

    QString m_directory; //!< DIR/images, empty: memory only
    qint64 m_cacheLimit;
    QHash<QString, QByteArray> m_memoryPending;
    QHash<QString, QByteArray> m_memoryCache;
};

} // namespace inkroom::client
