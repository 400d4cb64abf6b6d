#pragma once

#include "session.h"

#include <QObject>
#include <QPointer>
#include <QtQmlIntegration/qqmlintegration.h>

namespace inkroom::client {

/** @brief Lines in the chat about the room while you are in it: who joined, who left, who cleared the board.
 *
 * Only what happens while this client is online is told (not the catch-up after a join or a reconnect). Somebody
 * whose connection drops for a moment is not said to have left: PeopleModel keeps them listed as offline for its
 * grace period, and only their leaving the list is a notice.
 */
class ChatNotices : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(inkroom::client::Session *session READ session WRITE setSession NOTIFY sessionChanged)

public:
    explicit ChatNotices(QObject *parent = nullptr);

    [[nodiscard]] Session *session() const { return m_session; }
    void setSession(Session *session);

Q_SIGNALS:
    void sessionChanged();

private:
    void add(const QString &text);

    QPointer<Session> m_session;
};

} // namespace inkroom::client
