#include "chatmodel.h"

#include "peoplemodel.h"

#include <QColor>
#include <QDateTime>

#include <algorithm>

namespace inkroom::client {

namespace {
constexpr qint64 ContinuationMs = 5 * 60 * 1000;
}

ChatModel::ChatModel(QObject *parent)
    : QAbstractListModel(parent)
{ }

int ChatModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_messages.size());
}

QHash<int, QByteArray> ChatModel::roleNames() const
{
    return {{SeqRole, "seq"},
            {AuthorRole, "author"},
            {ClientIdRole, "clientId"},
            {ColourRole, "colour"},
            {TextRole, "text"},
            {TimeRole, "time"},
            {TimestampRole, "timestamp"},
            {DirectRole, "direct"},
            {PeerIdRole, "peerId"},
            {PeerNameRole, "peerName"},
            {OwnRole, "own"},
            {PendingRole, "pending"},
            {ContinuationRole, "continuation"},
            {NoticeRole, "notice"}};
}

void ChatModel::setPeople(const PeopleModel *people)
{
    if (m_people)
        disconnect(m_people, nullptr, this, nullptr);
    m_people = people;
    if (people) {
        connect(people, &PeopleModel::shownNamesChanged, this, [this] {
            if (!m_messages.isEmpty())
                Q_EMIT dataChanged(index(0), index(int(m_messages.size()) - 1), {AuthorRole, PeerNameRole});
        });
    }
}

QString ChatModel::shownName(const QString &client, const QString &name) const
{
    const QString shown = m_people ? m_people->shownNameOf(client) : QString();
    return shown.isEmpty() ? name : shown;
}

QVariant ChatModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const ChatMessage &m = m_messages.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case TextRole:
        return m.text;
    case SeqRole:
        return double(m.seq);
    case AuthorRole:
        return m.notice ? m.author : shownName(m.client, m.author);
    case ClientIdRole:
        return m.client;
    case ColourRole:
        return QColor::fromRgba(m.colour);
    case TimeRole:
        return QDateTime::fromMSecsSinceEpoch(m.time);
    case TimestampRole:
        return double(m.time);
    case OwnRole:
        return m.own;
    case PendingRole:
        return m.pending;
    case ContinuationRole:
        return isContinuation(index.row());
    case DirectRole:
        return !m.peer.isEmpty();
    case PeerIdRole:
        return m.peer;
    case PeerNameRole:
        return m.peer.isEmpty() ? m.peerName : shownName(m.peer, m.peerName);
    case NoticeRole:
        return m.notice;
    default:
        return {};
    }
}

bool ChatModel::isContinuation(qsizetype row) const
{
    if (row <= 0 || row >= m_messages.size())
        return false;
    const ChatMessage &a = m_messages.at(row - 1);
    const ChatMessage &b = m_messages.at(row);
    return !a.notice && !b.notice && a.client == b.client && a.author == b.author && a.peer == b.peer
        && b.time - a.time < ContinuationMs;
}

void ChatModel::continuationMayHaveChanged(qsizetype row)
{
    if (row < 0 || row >= m_messages.size())
        return;
    const QModelIndex at = index(int(row));
    Q_EMIT dataChanged(at, at, {ContinuationRole});
}

bool ChatModel::addConfirmed(const ChatMessage &message)
{
    const auto end = m_messages.cbegin() + m_confirmed;
    const auto it = std::lower_bound(m_messages.cbegin(), end, message.seq,
                                     [](const ChatMessage &m, quint64 seq) { return m.seq < seq; });
    if (it != end && it->seq == message.seq)
        return false;
    const qsizetype row = it - m_messages.cbegin();
    beginInsertRows(QModelIndex(), int(row), int(row));
    ChatMessage copy = message;
    copy.pending = false;
    m_messages.insert(row, copy);
    ++m_confirmed;
    endInsertRows();
    continuationMayHaveChanged(row + 1);
    Q_EMIT countChanged();
    if (!copy.own && !copy.notice && !m_reading) {
        ++m_unread;
        Q_EMIT unreadChanged();
    }
    return true;
}

void ChatModel::addNotice(const QString &text, qint64 time)
{
    // After every confirmed message, under the seq of the last one: messages that follow have higher seqs.
    const qsizetype row = m_confirmed;
    ChatMessage notice;
    notice.seq = lastSeq();
    notice.text = text;
    notice.time = time;
    notice.notice = true;
    beginInsertRows(QModelIndex(), int(row), int(row));
    m_messages.insert(row, notice);
    ++m_confirmed;
    endInsertRows();
    continuationMayHaveChanged(row + 1);
    Q_EMIT countChanged();
}

void ChatModel::setReading(bool reading)
{
    if (m_reading != reading) {
        m_reading = reading;
        Q_EMIT readingChanged();
    }
    if (m_reading && m_unread != 0) {
        m_unread = 0;
        Q_EMIT unreadChanged();
    }
}

void ChatModel::addPending(const ChatMessage &message)
{
    const qsizetype row = m_messages.size();
    beginInsertRows(QModelIndex(), int(row), int(row));
    ChatMessage copy = message;
    copy.pending = true;
    copy.own = true;
    copy.seq = 0;
    m_messages.append(copy);
    endInsertRows();
    Q_EMIT countChanged();
    Q_EMIT pendingCountChanged();
}

qsizetype ChatModel::pendingRow(quint64 cseq) const
{
    for (qsizetype row = m_confirmed; row < m_messages.size(); ++row) {
        if (m_messages.at(row).cseq == cseq)
            return row;
    }
    return -1;
}

bool ChatModel::confirm(quint64 cseq, quint64 seq, qint64 time)
{
    const qsizetype from = pendingRow(cseq);
    if (from < 0)
        return false;
    const auto end = m_messages.cbegin() + m_confirmed;
    const auto it =
        std::lower_bound(m_messages.cbegin(), end, seq, [](const ChatMessage &m, quint64 s) { return m.seq < s; });
    if (it != end && it->seq == seq) {
        // Already there (seen in a catch-up): the pending copy goes.
        removePending(cseq);
        return true;
    }
    const qsizetype to = it - m_messages.cbegin();
    if (from != to) {
        beginMoveRows(QModelIndex(), int(from), int(from), QModelIndex(), int(to));
        m_messages.move(from, to);
        endMoveRows();
    }
    ChatMessage &m = m_messages[to];
    m.seq = seq;
    m.time = time;
    m.pending = false;
    ++m_confirmed;
    const QModelIndex at = index(int(to));
    Q_EMIT dataChanged(at, at);
    continuationMayHaveChanged(to + 1);
    if (from != to)
        continuationMayHaveChanged(from + 1);
    Q_EMIT pendingCountChanged();
    return true;
}

void ChatModel::renumberPending(const QHash<quint64, quint64> &cseqs)
{
    for (qsizetype row = m_confirmed; row < m_messages.size(); ++row) {
        const auto it = cseqs.constFind(m_messages.at(row).cseq);
        if (it != cseqs.cend())
            m_messages[row].cseq = it.value();
    }
}

bool ChatModel::removePending(quint64 cseq)
{
    const qsizetype row = pendingRow(cseq);
    if (row < 0)
        return false;
    beginRemoveRows(QModelIndex(), int(row), int(row));
    m_messages.removeAt(row);
    endRemoveRows();
    continuationMayHaveChanged(row);
    Q_EMIT countChanged();
    Q_EMIT pendingCountChanged();
    return true;
}

void ChatModel::clearConfirmed()
{
    if (m_confirmed == 0)
        return;
    beginRemoveRows(QModelIndex(), 0, int(m_confirmed - 1));
    m_messages.remove(0, m_confirmed);
    m_confirmed = 0;
    endRemoveRows();
    continuationMayHaveChanged(0);
    Q_EMIT countChanged();
}

void ChatModel::clear()
{
    if (m_unread != 0) {
        m_unread = 0;
        Q_EMIT unreadChanged();
    }
    if (m_messages.isEmpty())
        return;
    const bool hadPending = pendingCount() > 0;
    beginResetModel();
    m_messages.clear();
    m_confirmed = 0;
    endResetModel();
    Q_EMIT countChanged();
    if (hadPending)
        Q_EMIT pendingCountChanged();
}

} // namespace inkroom::client
