#pragma once

#include <QAbstractListModel>
#include <QPointer>
#include <QtQmlIntegration/qqmlintegration.h>

namespace inkroom::client {

//! One chat message as the chat list shows it.
struct ChatMessage
{
    quint64 seq = 0; //!< the room's order; 0 while pending
    quint64 cseq = 0; //!< own messages: the outbox number
    QString client;
    QString author;
    quint32 colour = 0xff808080; //!< the author's colour, 0xAARRGGBB
    QString text;
    qint64 time = 0; //!< server time, ms since the Unix epoch (local time while pending)
    bool own = false;
    bool pending = false;
    //! A direct message: the other person of the conversation (the recipient of ours, the sender of theirs).
    QString peer {};
    QString peerName {};
    //! Not a message: a line the app adds about the room ("Ann joined", "Bo cleared the board").
    bool notice = false;
};

/** @brief The room's chat: confirmed messages in the room's order, then this client's pending ones in the order
 * they were written.
 *
 * Appends are O(1) and history merges by seq without duplicates, so thousands of messages stay cheap. Text is
 * plain text: views must show it with Text.PlainText.
 */
class PeopleModel;

class ChatModel : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("ChatModel belongs to a Session: use session.chat")
    Q_PROPERTY(int count READ count NOTIFY countChanged)
    Q_PROPERTY(int pendingCount READ pendingCount NOTIFY pendingCountChanged)
    //! Messages from others that arrived while nobody was reading the chat (notices do not count).
    Q_PROPERTY(int unread READ unread NOTIFY unreadChanged)
    //! The chat is on screen: what arrives is read at once, and setting it marks everything read.
    Q_PROPERTY(bool reading READ reading WRITE setReading NOTIFY readingChanged)

public:
    enum Roles {
        SeqRole = Qt::UserRole + 1,
        AuthorRole,
        ClientIdRole,
        ColourRole, //!< QColor
        TextRole,
        TimeRole, //!< QDateTime (local time zone)
        TimestampRole, //!< double: ms since the Unix epoch
        OwnRole,
        PendingRole,
        ContinuationRole, //!< same author as the row above, within five minutes: views may leave out the header
        DirectRole, //!< a direct message: only its two people see it
        PeerIdRole, //!< a direct message: the client id of the other person
        PeerNameRole, //!< a direct message: the name of the other person
        NoticeRole, //!< a line about the room, not a message (text says it all)
    };
    Q_ENUM(Roles)

    explicit ChatModel(QObject *parent = nullptr);

    /** Authors and direct-message peers are named as the member list names them ("Ann (2)" when two are called Ann),
     *  so one name means one person in the chat too; somebody no longer in the list keeps the name they sent with. */
    void setPeople(const PeopleModel *people);

    [[nodiscard]] int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    [[nodiscard]] QHash<int, QByteArray> roleNames() const override;

    [[nodiscard]] int count() const { return int(m_messages.size()); }
    [[nodiscard]] int pendingCount() const { return int(m_messages.size() - m_confirmed); }
    [[nodiscard]] const QList<ChatMessage> &messages() const { return m_messages; }
    [[nodiscard]] quint64 lastSeq() const { return m_confirmed ? m_messages.at(m_confirmed - 1).seq : 0; }

    //! Insert a message from the room's log at its place; false if one with that seq is already there.
    bool addConfirmed(const ChatMessage &message);
    //! Append one of our own messages, not yet acknowledged.
    void addPending(const ChatMessage &message);
    //! Our message cseq was committed at seq: it joins the confirmed messages at its place.
    bool confirm(quint64 cseq, quint64 seq, qint64 time);
    //! Our message cseq will not be delivered (rejected): it goes away.
    bool removePending(quint64 cseq);
    //! Our pending messages were numbered again (old cseq -> new cseq).
    void renumberPending(const QHash<quint64, quint64> &cseqs);
    //! Drop the confirmed messages (the room's log was replaced); pending ones stay.
    void clearConfirmed();
    void clear();
    //! Add a line about the room after what is confirmed ("Ann joined"); time in ms since the Unix epoch.
    void addNotice(const QString &text, qint64 time);
    [[nodiscard]] int unread() const { return m_unread; }
    [[nodiscard]] bool reading() const { return m_reading; }
    void setReading(bool reading);

Q_SIGNALS:
    void countChanged();
    void pendingCountChanged();
    void unreadChanged();
    void readingChanged();

private:
    [[nodiscard]] qsizetype pendingRow(quint64 cseq) const;
    [[nodiscard]] bool isContinuation(qsizetype row) const;
    void continuationMayHaveChanged(qsizetype row);
    [[nodiscard]] QString shownName(const QString &client, const QString &name) const;

    QList<ChatMessage> m_messages;
    qsizetype m_confirmed = 0; //!< rows [0, m_confirmed) are confirmed, sorted by seq (notices: the seq before)
    int m_unread = 0;
    bool m_reading = false;
    QPointer<const PeopleModel> m_people;
};

} // namespace inkroom::client
