#include "following.h"

#include "peoplemodel.h"

using namespace Qt::StringLiterals;

namespace inkroom::client {

Following::Following(const PeopleModel *people, QObject *parent)
    : QObject(parent)
    , m_people(people)
{ }

QString Following::presenterName() const
{
    if (m_presenter.isEmpty())
        return {};
    const Person *person = m_people->person(m_presenter);
    return person ? person->name : m_presenterName;
}

QRectF Following::target() const
{
    return m_active ? m_views.value(m_presenter) : QRectF();
}

bool Following::follow(const QString &clientId)
{
    const Person *person = m_people->person(clientId);
    if (clientId.isEmpty() || clientId == m_self || !person || !person->online)
        return false;
    const bool sameTarget = m_active && m_presenter == clientId;
    m_presenter = clientId;
    m_presenterName = person->name;
    m_active = true;
    m_summoned = false;
    m_notice.clear();
    Q_EMIT changed();
    if (!sameTarget && m_views.contains(clientId))
        Q_EMIT targetChanged();
    return true;
}

void Following::stop()
{
    if (m_presenter.isEmpty() && m_notice.isEmpty())
        return;
    m_presenter.clear();
    m_active = false;
    m_summoned = false;
    m_notice.clear();
    Q_EMIT changed();
}

void Following::interrupt()
{
    if (!m_active)
        return;
    m_active = false;
    m_summoned = false;
    Q_EMIT changed();
}

void Following::dismiss()
{
    if (m_active)
        return;
    stop();
}

void Following::end(const QString &notice)
{
    m_presenter.clear();
    m_active = false;
    m_summoned = false;
    m_notice = notice;
    Q_EMIT changed();
}

void Following::viewReceived(const proto::View &view)
{
    if (view.client.isEmpty() || view.client == m_self)
        return;
    const QRectF rect(view.x, view.y, view.w, view.h);
    if (m_views.value(view.client) == rect)
        return;
    m_views.insert(view.client, rect);
    if (m_active && view.client == m_presenter)
        Q_EMIT targetChanged();
}

void Following::summonReceived(const proto::Summon &summon)
{
    if (summon.client.isEmpty() || summon.client == m_self)
        return;
    if (summon.active) {
        // Already following them (by choice or because they asked before): nothing changes but the reason.
        if (m_active && m_presenter == summon.client) {
            m_summoned = true;
            Q_EMIT changed();
            return;
        }
        if (follow(summon.client)) {
            m_summoned = true;
            Q_EMIT changed();
        }
        return;
    }
    if (m_presenter == summon.client && m_summoned)
        end(u"%1 stopped presenting: you are no longer following them."_s.arg(presenterName()));
}

void Following::memberLeft(const QString &client)
{
    m_views.remove(client);
    if (client != m_presenter)
        return;
    // Read the name before the people list forgets them.
    const QString name = presenterName();
    if (m_active)
        end(u"%1 left the room: you are no longer following them."_s.arg(name));
    else
        stop(); // nobody to follow again
}

void Following::welcomed(const QList<proto::Member> &members)
{
    // Every view still current is relayed again right after the catch-up.
    m_views.clear();
    if (m_presenter.isEmpty())
        return;
    for (const proto::Member &member : members) {
        if (member.client == m_presenter)
            return; // still here: the view arrives after the catch-up, and following goes on
    }
    if (m_active)
        end(u"%1 left the room while you were away: you are no longer following them."_s.arg(presenterName()));
    else
        stop();
}

void Following::clear()
{
    m_views.clear();
    m_self.clear();
    const bool was = !m_presenter.isEmpty() || !m_notice.isEmpty();
    m_presenter.clear();
    m_active = false;
    m_summoned = false;
    m_notice.clear();
    if (was)
        Q_EMIT changed();
}

} // namespace inkroom::client
