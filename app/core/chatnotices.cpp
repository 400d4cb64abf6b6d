#include "chatnotices.h"

#include "session.h"

#include <QDateTime>

namespace inkroom::client {

ChatNotices::ChatNotices(QObject *parent)
    : QObject(parent)
{ }

void ChatNotices::setSession(Session *session)
{
    if (m_session == session)
        return;
    if (m_session) {
        disconnect(m_session, nullptr, this, nullptr);
        disconnect(m_session->people(), nullptr, this, nullptr);
    }
    m_session = session;
    if (m_session) {
        PeopleModel *people = m_session->people();
        connect(people, &PeopleModel::rowsInserted, this, [this, people](const QModelIndex &, int first, int last) {
            if (m_session->state() != Session::Online)
                return; // the member list of a welcome
            for (int row = first; row <= last; ++row) {
                if (!people->people().at(row).self)
                    add(tr("%1 joined").arg(people->shownName(row)));
            }
        });
        connect(people, &PeopleModel::rowsAboutToBeRemoved, this,
                [this, people](const QModelIndex &, int first, int last) {
                    if (m_session->state() != Session::Online)
                        return;
                    for (int row = first; row <= last; ++row) {
                        if (!people->people().at(row).self)
                            add(tr("%1 left").arg(people->shownName(row)));
                    }
                });
        connect(m_session, &Session::opApplied, this, [this](const proto::Op &op, bool own) {
            if (op.kind != proto::OpKind::Clear || m_session->state() != Session::Online)
                return;
            add(own ? tr("You cleared the board") : tr("%1 cleared the board").arg(op.author));
        });
    }
    Q_EMIT sessionChanged();
}

void ChatNotices::add(const QString &text)
{
    m_session->chat()->addNotice(text, QDateTime::currentMSecsSinceEpoch());
}

} // namespace inkroom::client
