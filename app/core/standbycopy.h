#pragma once

#include "board.h"
#include "roomseed.h"

#include <QHash>
#include <QString>

#include <optional>

namespace inkroom::client {

/** @brief The standby's copy of a room: what a replica stream says, checked, kept in memory (docs/PROTOCOL.md,
 *  "Handing a room over").
 *
 * Nothing a replica says is trusted: a part that does not continue the copy (another epoch, a gap in the ops, a part
 * before the first reset, a copy past the limits below) throws the whole copy away, and the server, which hears no
 * more confirmations, drops this standby. A complete copy gives the RoomSeed a server takes the room over with.
 */
class StandbyCopy
{
public:
    //! Chat messages kept, as a server keeps them for joiners.
    static constexpr qsizetype ChatKept = 500;

    /** A board's items, client ids and image bytes the copy holds at most (the server's own limits are within the
     *  defaults: its rooms keep 256 MiB of images unless told otherwise); past them the copy is refused. */
    explicit StandbyCopy(qsizetype maxItems = 200000, qsizetype maxClients = 100000,
                         qint64 maxImageBytes = qint64(256) * 1024 * 1024)
        : m_maxItems(maxItems)
        , m_maxClients(maxClients)
        , m_maxImageBytes(maxImageBytes)
    { }

    /** Apply one part. False (and *why, and the copy is gone) when it does not continue the copy. A part with reset
     *  starts a new copy. */
    bool apply(const proto::Replica &part, QString *why);
    void clear();
    //! Has a copy begun (a reset part arrived and nothing broke it since)?
    [[nodiscard]] bool isStarted() const { return m_started; }
    //! Every part of the first copy arrived: the copy may serve the room.
    [[nodiscard]] bool isComplete() const { return m_complete; }
    //! Where the copy stands: the seq of the last op it holds.
    [[nodiscard]] quint64 head() const { return m_seed.head; }
    [[nodiscard]] const QString &room() const { return m_seed.room; }
    [[nodiscard]] const QString &epoch() const { return m_seed.epoch; }
    //! The copy as a server is seeded with it; nullopt until complete.
    [[nodiscard]] std::optional<proto::RoomSeed> seed() const;
    //! The copy holds the image hash whole (checked against its hash).
    [[nodiscard]] bool hasImage(const QString &hash) const { return m_seed.blobs.contains(hash); }

private:
    bool refuse(QString *why, const QString &text);
    //! An op of the log in the copy: its sender's records, the chat and the controls follow it.
    void follow(const proto::Op &op);
    //! A piece of an image: it continues the one under way (or starts one); a whole one is checked.
    bool applyImagePiece(const proto::BlobData &piece, QString *why);

    proto::RoomSeed m_seed; //!< items and clients are kept in m_board and m_clients
    Board m_board;
    QHash<QString, proto::ReplicaClient> m_clients;
    qsizetype m_maxItems;
    qsizetype m_maxClients;
    qint64 m_maxImageBytes;
    QString m_partialHash; //!< the image whose pieces are arriving (its bytes so far in m_partial)
    QByteArray m_partial;
    qint64 m_partialSize = 0;
    qint64 m_imageBytes = 0; //!< of the whole images and the one under way
    bool m_started = false;
    bool m_complete = false;
};

} // namespace inkroom::client
