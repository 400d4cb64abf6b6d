#include "lasertrails.h"

#include "peoplemodel.h"

namespace inkroom::client {

namespace {
//! Points kept per pointer at most (about two seconds of a 60 Hz mouse): a flood cannot grow memory.
constexpr qsizetype MaxPointsPerTrail = 240;
} // namespace

LaserTrails::LaserTrails(const PeopleModel *people, QObject *parent)
    : QObject(parent)
    , m_people(people)
{
    m_clock.start();
    m_frame.setInterval(16);
    connect(&m_frame, &QTimer::timeout, this, &LaserTrails::age);
}

qsizetype LaserTrails::pointCount(const QString &client) const
{
    const auto it = m_trails.constFind(client);
    return it == m_trails.cend() ? 0 : it->points.size();
}

void LaserTrails::add(const QString &client, const QList<QPointF> &points, bool end)
{
    if (client.isEmpty())
        return;
    const bool wasVisible = isVisible();
    if (!points.isEmpty()) {
        Trail &trail = m_trails[client];
        trail.client = client;
        if (const Person *person = m_people->person(client))
            trail.colour = person->colour;
        const qint64 born = now();
        bool breakBefore = m_ended.value(client, true);
        for (const QPointF &p : points) {
            trail.points.append(Point {p, born, breakBefore});
            breakBefore = false;
        }
        if (trail.points.size() > MaxPointsPerTrail)
            trail.points.remove(0, trail.points.size() - MaxPointsPerTrail);
    }
    m_ended.insert(client, end);
    if (!m_trails.isEmpty() && !m_frame.isActive())
        m_frame.start();
    if (wasVisible != isVisible())
        Q_EMIT visibleChanged();
    Q_EMIT changed();
}

void LaserTrails::age()
{
    const qint64 oldest = now() - m_lifeMs;
    for (auto it = m_trails.begin(); it != m_trails.end();) {
        it->points.removeIf([oldest](const Point &p) { return p.bornMs < oldest; });
        if (it->points.isEmpty())
            it = m_trails.erase(it);
        else
            ++it;
    }
    if (m_trails.isEmpty()) {
        m_frame.stop();
        Q_EMIT visibleChanged();
    }
    Q_EMIT changed();
}

void LaserTrails::clear()
{
    m_frame.stop();
    m_ended.clear();
    if (m_trails.isEmpty())
        return;
    m_trails.clear();
    Q_EMIT visibleChanged();
    Q_EMIT changed();
}

} // namespace inkroom::client
