#include "roomhistory.h"

#include "logging.h"
#include "protocollimits.h"
#include "store.h"

using namespace Qt::StringLiterals;

namespace inkroom::server {

using proto::ErrorCode;

RoomHistory::RoomHistory(Store &store, qint64 roomId)
    : m_store(store)
    , m_roomId(roomId)
{ }

QByteArray RoomHistory::refusal(ErrorCode code, const QString &message, bool retry, quint64 head)
{
    proto::HistoryPage page;
    page.head = head;
    page.code = code;
    page.message = message;
    page.retry = retry;
    return proto::encode(page);
}

void RoomHistory::snapshotReplaced()
{
    m_snapshotSeq.reset();
    m_parts.clear();
}

bool RoomHistory::loadSnapshot(quint64 snapshotSeq)
{
    if (m_snapshotSeq == snapshotSeq)
        return true;
    quint64 seq = 0;
    QByteArray blob;
    if (!m_store.snapshotOf(m_roomId, &seq, &blob))
        return false;
    if (seq != snapshotSeq) {
        qCWarning(lcStore) << "room" << m_roomId << "snapshot stored at" << seq << "expected at" << snapshotSeq;
        return false;
    }
    m_parts.clear();
    for (const QByteArray &line : blob.split('\n')) {
        if (!line.isEmpty())
            m_parts.append(line);
    }
    m_snapshotSeq = seq;
    return true;
}

QByteArray RoomHistory::answer(const QString &asker, const proto::History &request, const Log &log, qint64 maxOpBytes)
{
    proto::HistoryPage page;
    page.head = log.head;
    // The log replays from the empty board only while it still holds op 1; after that, from the stored snapshot.
    page.base = log.logStart == 0 ? 0 : log.snapshotSeq;
    if (page.base > 0) {
        if (!loadSnapshot(log.snapshotSeq)) {
            return refusal(ErrorCode::Internal, u"the server could not read the room's history; try again later"_s,
                           true, log.head);
        }
        page.parts = int(std::min<qsizetype>(m_parts.size(), limits::MaxHistoryParts));
    }
    return request.after ? opsAfter(asker, request, log, std::move(page), maxOpBytes)
                         : startPart(request, std::move(page));
}

QByteArray RoomHistory::startPart(const proto::History &request, proto::HistoryPage page)
{
    page.part = request.part;
    page.last = page.base;
    if (page.parts == 0 && request.part == 0)
        return proto::encode(page); // the empty board
    if (request.part >= page.parts) {
        return refusal(ErrorCode::BadValue,
                       u"part %1 does not exist: the history's starting board (seq %2) has %3 parts"_s.arg(request.part)
                           .arg(page.base)
                           .arg(page.parts),
                       false, page.head);
    }
    const proto::DecodeResult decoded = proto::decode(m_parts.at(request.part), limits::MaxServerMessageBytes);
    if (!decoded.ok() || proto::typeOf(decoded.message()) != proto::MessageType::Snapshot) {
        qCWarning(lcStore) << "room" << m_roomId << "snapshot part" << request.part << "does not decode";
        return refusal(ErrorCode::Internal, u"the room's stored snapshot does not decode"_s, false, page.head);
    }
    page.items = std::get<proto::Snapshot>(decoded.message()).items;
    return proto::encode(page);
}

QByteArray RoomHistory::opsAfter(const QString &asker, const proto::History &request, const Log &log,
                                 proto::HistoryPage page, qint64 maxOpBytes)
{
    const quint64 after = *request.after;
    if (after > log.head) {
        return refusal(ErrorCode::BadValue,
                       u"'after' is %1, but the room's history ends at %2"_s.arg(after).arg(log.head), false, log.head);
    }
    if (after < log.logStart) {
        return refusal(ErrorCode::HistoryGone,
                       u"the ops after %1 are no longer kept (the log starts after %2); start again from the "
                       "history's beginning"_s.arg(after)
                           .arg(log.logStart),
                       false, log.head);
    }
    page.last = after;
    QList<QByteArray> bodies;
    qint64 bytes = 0;
    int scanned = 0;
    const int maxScanned = request.limit * 10;
    bool gap = false;
    const bool read = m_store.visitLogAfter(m_roomId, after, [&](const LoggedOp &op) {
        if (op.seq > log.head)
            return false;
        if (op.seq != page.last + 1) {
            gap = true; // the log must hold every op after logStart: anything else is damage, never a silent skip
            return false;
        }
        const bool mayRead = op.recipient.isEmpty() || op.client == asker || op.recipient == asker;
        if (mayRead) {
            if (!bodies.isEmpty() && bytes + op.body.size() > maxOpBytes)
                return false;
            bodies.append(op.body);
            bytes += op.body.size();
        }
        page.last = op.seq;
        ++scanned;
        return bodies.size() < request.limit && scanned < maxScanned;
    });
    if (!read || gap) {
        qCWarning(lcStore) << "room" << m_roomId << "history after" << after << (gap ? "has a gap" : "not read");
        return refusal(ErrorCode::Internal, u"the server could not read the room's history; try again later"_s, !gap,
                       log.head);
    }
    return proto::encodeHistoryPage(page, bodies);
}

} // namespace inkroom::server
