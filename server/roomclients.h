#pragma once

#include "protocol.h"
#include "store.h"

#include <QByteArray>
#include <QHash>
#include <QString>

namespace inkroom {
class Board;
}

namespace inkroom::server {

/** @brief What a room knows about every client id that ever joined it: the hash of its secret, and how far its
 *  cseqs and item numbers got, both as committed and as they stand with the pending batch (docs/PROTOCOL.md,
 *  "Identity", "Item ids" and "Answers to ops").
 *
 * A client id is known from its first admitted join. The in-flight values move when an op is ordered and fall back to
 * the committed ones when a commit fails; commit() makes them the committed ones.
 */
class RoomClients
{
public:
    struct Client
    {
        QByteArray secretHash; //!< SHA-256 of its secret; empty for a client from a database before secrets
        quint64 committedCseq = 0;
        quint64 committedSeq = 0;
        quint64 committedItem = 0;
        quint64 cseq = 0; //!< the highest cseq committed or in the pending batch (C in PROTOCOL.md)
        quint64 seq = 0;
        quint64 item = 0; //!< the highest n of its own "<client>:<n>" adds, committed or in the pending batch
        std::optional<proto::Role> committedRole;
        bool committedBanned = false;
        std::optional<proto::Role> role; //!< given by an owner (none: the room's default), with the pending batch
        bool banned = false; //!< with the pending batch
    };

    enum class Identity {
        New, //!< never joined, or joined before the room kept secrets: the hello's secret becomes its secret
        Known, //!< the secret matches
        Mismatch //!< another secret: somebody else's client id
    };

    void load(const QHash<QString, ClientRecord> &records);
    /** Raise item numbers to the items on a loaded board: a database from before max_item was kept starts at 0, and
     *  every item on a board written under the item-id rules is at most its maker's number already. */
    void raiseItemsTo(const Board &board);

    [[nodiscard]] const Client *find(const QString &client) const;
    [[nodiscard]] bool isKnown(const QString &client) const { return m_clients.contains(client); }
    //! Every client id the room knows.
    [[nodiscard]] QStringList ids() const { return m_clients.keys(); }
    //! Is secretHash (SHA-256 of a hello's secret) this client id's? Compared in constant time.
    [[nodiscard]] Identity identify(const QString &client, const QByteArray &secretHash) const;
    //! The client id joined with this secret for the first time (already on disk).
    void remember(const QString &client, const QByteArray &secretHash);
    //! A client id another server registered (a shared database): what the database holds for it.
    void adopt(const QString &client, const ClientRecord &record);
    /** What the database holds (a shared database, where other servers write too): the client ids this room does not
     *  know are adopted, and the roles and bans of the others taken (unless the pending batch changes them). */
    void takeStored(const QHash<QString, ClientRecord> &records);

    /** May sender add an item with this id? Its own ("<sender>:..."), or "<maker>:<n>" of a known maker whose own
     *  adds reached n (bringing back an item that maker made). The maker of "<a>:<n>" is a (the text before the last
     *  colon), so a client id that is a prefix of another ("ann" and "ann:2") cannot claim the other's ids. */
    [[nodiscard]] bool mayAdd(const QString &sender, const QString &itemId) const;

    //! An op of client was ordered (stamped into the pending batch).
    void ordered(const proto::Op &op);
    //! A role or kick op of the pending batch gave a known client a role or a ban.
    void setRole(const QString &client, proto::Role role);
    void setBanned(const QString &client);
    //! Make a known client an owner at once (already on disk: Store::makeOwner()).
    void makeOwner(const QString &client);
    //! How many client ids are owners, with the pending batch.
    [[nodiscard]] int ownerCount() const;
    //! The pending batch is committed.
    void commit();
    //! The pending batch failed: nothing of it counts.
    void rollback();
    //! What the log's clients table keeps for client, as it stands with the pending batch.
    [[nodiscard]] ClientRecord record(const QString &client) const;
    //! The clients with ops in the pending batch.
    [[nodiscard]] const QStringList &inBatch() const { return m_inBatch; }

private:
    QHash<QString, Client> m_clients;
    //! commit() and rollback() touch only these: a room may know thousands of client ids.
    QStringList m_inBatch;
};

} // namespace inkroom::server
