#pragma once

#include "protocol.h"

#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QObject>
#include <QPointF>
#include <QTimer>
#include <QtQmlIntegration/qqmlintegration.h>

namespace inkroom::client {

class PeopleModel;

/** @brief The laser pointers' trails: where each member's pointer passed in the last second (ours included).
 *
 * Never on the board, never in undo or the journal: points come from laser messages (and our own pointer) and fade
 * out on their own, each lifeMs after it arrived, so a lost end message leaves nothing behind. While anything is
 * shown, changed() fires every frame (about 60 a second) so a view can draw the fade.
 */
class LaserTrails : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("LaserTrails belongs to a Session")
    //! Some trail is shown now.
    Q_PROPERTY(bool visible READ isVisible NOTIFY visibleChanged)

public:
    struct Point
    {
        QPointF at;
        qint64 bornMs = 0; //!< on now()'s clock
        bool breakBefore = false; //!< the pointer was put down before this point: no segment to it
    };
    struct Trail
    {
        QString client;
        proto::Colour colour = 0xffe53935;
        QList<Point> points;
    };

    explicit LaserTrails(const PeopleModel *people, QObject *parent = nullptr);

    //! How long a point stays (it fades over that time).
    void setLifeMs(int ms) { m_lifeMs = ms; }
    [[nodiscard]] int lifeMs() const { return m_lifeMs; }
    //! Milliseconds on the trails' clock.
    [[nodiscard]] qint64 now() const { return m_clock.elapsed(); }
    [[nodiscard]] QList<Trail> trails() const { return m_trails.values(); }
    [[nodiscard]] bool isVisible() const { return !m_trails.isEmpty(); }
    //! Points shown for a client now (tests).
    [[nodiscard]] qsizetype pointCount(const QString &client) const;

    //! Points of client's pointer (others' from laser messages, ours as we point); end: the pointer was put down.
    void add(const QString &client, const QList<QPointF> &points, bool end);
    void clear();

Q_SIGNALS:
    //! The trails changed or aged: draw them again.
    void changed();
    void visibleChanged();

private:
    void age();

    const PeopleModel *m_people;
    QHash<QString, Trail> m_trails;
    QHash<QString, bool> m_ended; //!< the client's last message ended its pointer
    QElapsedTimer m_clock;
    QTimer m_frame;
    int m_lifeMs = 1000;
};

} // namespace inkroom::client
