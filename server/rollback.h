#pragma once

#include "protocol.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace inkroom::server {

class Store;

//! The items of a stored snapshot (Snapshot messages, one a line). False when a line does not decode.
bool decodeSnapshotBlob(const QByteArray &blob, QList<proto::Item> *items);

/** @brief What undoing the last count board ops of one client does to the board (docs/PROTOCOL.md, "Rollback").
 *
 * The board is replayed from the room's stored snapshot twice, once as the log has it and once without those ops;
 * the difference is the effect: the ids that go and the items put back as they were (with their stacking order).
 * Only ops after the snapshot can be undone, and an op an earlier rollback undid is not counted again. The log must
 * hold every op ordered before the rollback (the batch writes them first).
 */
struct RollbackEffect
{
    QStringList ids;
    QList<proto::Item> items;
    int undone = 0; //!< how many of the client's ops it undoes (at most count)
};

//! nullopt: the store could not be read (*error says why).
std::optional<RollbackEffect> computeRollback(Store &store, const QString &roomName, qint64 roomId,
                                              const QString &target, int count, QString *error);

} // namespace inkroom::server
