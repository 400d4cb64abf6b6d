#pragma once

#include "protocol.h"
#include "serverconfig.h"
#include "tokenbucket.h"

#include <QElapsedTimer>
#include <QHash>
#include <QSet>

#include <variant>

namespace inkroom::server {

class Store;

/** @brief The images of one room: its stored blobs, its unfinished uploads, and the answers to blob_offer, blob_put
 *  and blob_get (docs/PROTOCOL.md, "Images").
 *
 * Blobs are content-addressed (their SHA-256 names them), so an image is kept once however many items show it, and
 * an upload of one the room has already is answered at once (dedupe). Chunks are written to the Store as they come,
 * so an upload resumes where it stopped, across reconnects and restarts. A whole upload is checked (size, hash, a
 * header sniff) before it can be used. Limits: the room's image bytes, each connection's upload rate and the uploads
 * it may have going at once.
 */
class RoomBlobs
{
public:
    RoomBlobs(Store &store, const ServerConfig &config);

    //! Read what the room has (after the room is in the store).
    bool load(qint64 room, QString *error);

    [[nodiscard]] bool has(const QString &hash) const { return m_stored.contains(hash); }
    [[nodiscard]] qint64 sizeOf(const QString &hash) const { return m_stored.value(hash, -1); }
    //! The hashes of the room's stored blobs.
    [[nodiscard]] QStringList storedHashes() const { return m_stored.keys(); }
    //! Bytes of stored blobs and of the sizes unfinished uploads announced.
    [[nodiscard]] qint64 usedBytes() const;

    //! uploader is the connection's serial (its rate and its uploads in progress are counted by it).
    [[nodiscard]] proto::BlobStatus offer(quint64 uploader, const proto::BlobOffer &offer);
    [[nodiscard]] proto::BlobStatus put(quint64 uploader, const proto::BlobPut &put, qint64 nowMs);
    [[nodiscard]] std::variant<proto::BlobData, proto::BlobStatus> get(const proto::BlobGet &get);
    //! The connection left: its uploads stay resumable, but no longer count as its own.
    void forget(quint64 uploader);

private:
    struct Upload
    {
        qint64 size = 0;
        qint64 have = 0;
    };
    [[nodiscard]] proto::BlobStatus status(const QString &hash, qint64 size, qint64 have) const;
    [[nodiscard]] proto::BlobStatus refusal(const QString &hash, qint64 size, proto::ErrorCode code,
                                            const QString &message, bool retry = false) const;
    //! Check an upload of hash may start or go on: size, room, the uploader's slots. nullopt: it may.
    [[nodiscard]] std::optional<proto::BlobStatus> admit(quint64 uploader, const QString &hash, qint64 size);
    //! Make room by dropping unfinished uploads nobody is working on now. True when need bytes fit then.
    bool reclaim(qint64 need);
    [[nodiscard]] bool isActive(const QString &hash) const;
    [[nodiscard]] qint64 maxBytes() const { return qint64(m_config.maxRoomImageMib) * 1024 * 1024; }

    Store &m_store;
    const ServerConfig &m_config;
    qint64 m_room = 0;
    QHash<QString, qint64> m_stored; //!< hash -> size
    qint64 m_storedBytes = 0;
    QHash<QString, Upload> m_uploads; //!< unfinished, by hash
    QHash<quint64, QSet<QString>> m_active; //!< uploader -> the uploads it has going
    QHash<quint64, TokenBucket> m_rates; //!< uploader -> KiB it may still send
};

} // namespace inkroom::server
