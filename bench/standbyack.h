#pragma once

#include "histogram.h"

#include <QString>
#include <QUrl>

namespace inkroom::bench {

/** @brief What the standby gate costs (docs/PROTOCOL.md, "Handing a room over"): one member sends ops at rateHz and
 *  times each from its send to its ack, in a room of its own, alone (no standby), or with a standby: a second
 *  member whose hello says serve, which confirms every part of its copy at once (replica_ack), as the app does.
 *
 * Fills *latencies (microseconds); false and *note when the room could not be set up or an op was not acknowledged.
 * Runs on the calling thread's event loop (QWebSocket clients, as the app's own connection is).
 */
bool measureAckLatency(const QUrl &server, const QString &room, bool withStandby, int ops, double rateHz,
                       Histogram *latencies, QString *note);

} // namespace inkroom::bench
