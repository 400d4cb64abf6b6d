#pragma once

#include "protocol.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QList>
#include <QPointer>
#include <QSet>
#include <QString>
#include <QTimer>

#include <optional>

namespace inkroom::server {

class Connection;
class Room;
struct ServerConfig;

/** @brief A room's standby and its handover (docs/PROTOCOL.md, "Handing a room over").
 *
 * Chooses the standby among the members whose app can serve (the first to join, after the one the owner hands the
 * room to), sends it a copy of the room (replica) and every commit after it, and, once the standby holds the copy
 * and says where its server listens, announces it to everybody (standby) and holds the room's answers and ops back
 * until the standby confirms it has them: so whatever a member was told (an ack, somebody's op) is in the standby's
 * copy when the host vanishes. A standby that does not confirm in time is dropped (and never chosen again on that
 * connection), and everything held goes out. Images uploaded meanwhile go to the standby first, and what is sent
 * after one was stored waits for its last piece too; those of the first copy follow and hold nothing back.
 *
 * A handover freezes the room's log, waits until the target holds everything, then sends everybody moved and
 * closes their connections with 4031.
 */
class RoomStandby
{
public:
    RoomStandby(Room &room, const ServerConfig &config);
    ~RoomStandby();
    RoomStandby(const RoomStandby &) = delete;
    RoomStandby &operator=(const RoomStandby &) = delete;

    /** Send durable traffic (an ack, a refusal, an op) to a member: now, or, while a standby is announced, once it
     *  has confirmed the room's head as it stands now. Keeps the order of everything sent this way. */
    void send(Connection *to, const QByteArray &bytes);

    //! Somebody joined or left: choose the standby again (the one chosen stays while it is a member).
    void membersChanged();
    //! A batch was committed: ops (encoded, in seq order) now end at the room's head; clients changed with it.
    void committed(const QList<QByteArray> &ops, const QStringList &clients);
    //! A client id's record changed outside a batch (its secret kept, made owner).
    void clientChanged(const QString &client);
    //! A joiner's catch-up is done: tell it the standby, if one is announced.
    void greet(Connection *joiner);
    //! An image of the room was stored whole: the standby's copy gets it too, in pieces.
    void blobStored(const QString &hash);

    // ---- from members ----
    //! standby from a member: its server listens on standby.port (certificate standby.fp).
    void ready(Connection *from, const proto::Standby &standby);
    //! replica_ack from a member.
    void acked(Connection *from, quint64 seq);
    //! handover from a member: refused with an error to from, or started.
    void handover(Connection *from, const QString &target);

    //! The log is frozen for a handover: ops get a transient refusal and are sent again to the new address.
    [[nodiscard]] bool isMoving() const { return !m_target.isEmpty(); }
    //! Where the room went (a hello for it gets this and close 4031); nullopt: still here.
    [[nodiscard]] const std::optional<proto::Moved> &moved() const { return m_moved; }
    //! The announced standby's client id ("" when none).
    [[nodiscard]] QString announced() const { return m_announced ? m_clientId : QString(); }

private:
    void choose();
    void start(Connection *standby);
    void drop(bool demote);
    void sendReplica(const QByteArray &bytes, quint64 head);
    void sendBase();
    //! The next piece of the images the standby still lacks, when none is on its way (one at a time).
    void sendBlobPiece();
    //! No image is owed to the standby any more (a new one is chosen, or none).
    void forgetPictures();
    [[nodiscard]] proto::Replica shell() const;
    [[nodiscard]] proto::ReplicaClient clientRecord(const QString &client) const;
    void announce();
    void release();
    void checkTimeout();
    void tryMove();
    void failHandover(const QString &why);

    struct Held
    {
        QPointer<Connection> to;
        QByteArray bytes;
        quint64 need = 0; //!< the head the standby must confirm first
        quint64 pictures = 0; //!< how many of the new pictures (m_picturesQueued) must be on the standby first
    };

    Room &m_room;
    const ServerConfig &m_config;
    QPointer<Connection> m_standby;
    QString m_clientId; //!< of m_standby
    quint64 m_baseHead = 0; //!< the seq the standby's copy started at
    quint64 m_sent = 0; //!< the head of the last replica sent
    quint64 m_confirmed = 0; //!< the head the standby confirmed
    bool m_complete = false; //!< the copy's base parts are all sent
    //! Parts sent and confirmed (every part gets its own replica_ack; the first copy's parts share one head).
    qint64 m_partsSent = 0;
    qint64 m_partsAcked = 0;
    qint64 m_baseParts = 0; //!< parts of the first copy: all confirmed before the standby is announced
    QString m_url; //!< where the standby's server listens (from its peer address and port)
    QString m_fingerprint;
    bool m_announced = false;
    QList<Held> m_held;
    QElapsedTimer m_oldestHeld;
    QElapsedTimer m_lastReplica; //!< since the oldest replica not yet confirmed was sent
    QTimer m_timeout;
    QSet<quint64> m_demoted; //!< connections (serials) that failed to confirm in time: never chosen again
    QString m_target; //!< a handover under way to this client id
    QPointer<Connection> m_handoverBy;
    std::optional<proto::Moved> m_moved;
    //! Images of the room when the copy began that the standby still lacks, oldest first. Nothing waits for them.
    QStringList m_blobQueue;
    //! Images stored since the copy began, oldest first: they go before m_blobQueue's, and whatever is sent to
    //! members after one was stored waits until the standby has it (Held::pictures).
    QStringList m_newBlobs;
    quint64 m_picturesQueued = 0; //!< new images queued for the standby so far
    quint64 m_picturesDone = 0; //!< of them, on the standby (or gone from the room meanwhile)
    QString m_blobCurrent; //!< the image being sent, from m_blobOffset on ("" when none)
    bool m_blobCurrentNew = false; //!< it is one of m_newBlobs
    qint64 m_blobOffset = 0;
    qint64 m_blobPart = 0; //!< the part number of the piece on its way (0: none)
    bool m_blobPartEndsNew = false; //!< that piece is the last of a new image
};

} // namespace inkroom::server
