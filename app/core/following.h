#pragma once

#include "protocol.h"

#include <QHash>
#include <QObject>
#include <QRectF>
#include <QtQmlIntegration/qqmlintegration.h>

namespace inkroom::client {

class PeopleModel;

/** @brief Whom this client follows: the presenter whose view (the board rectangle their window shows) ours shows too.
 *
 * Keeps every member's latest view as the room relays it, so following starts at once. Following stops by hand
 * (stop()), when the user pans or zooms (interrupt(): "Follow again" is offered), when the presenter leaves the room,
 * or when an owner who summoned everybody lets them go; the last two leave a notice saying why. An owner's summon
 * makes us follow them. The canvas reads target() and fits it into its window; QML binds to the properties.
 */
class Following : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Following belongs to a Session")
    //! Following somebody now (the canvas shows their view).
    Q_PROPERTY(bool active READ active NOTIFY changed)
    //! Whom we follow (active) or stopped following by hand (resumable); empty otherwise.
    Q_PROPERTY(QString presenterId READ presenterId NOTIFY changed)
    Q_PROPERTY(QString presenterName READ presenterName NOTIFY changed)
    //! We stopped following by panning or zooming: "Follow again" takes it up.
    Q_PROPERTY(bool resumable READ resumable NOTIFY changed)
    //! We follow because an owner asked everybody to.
    Q_PROPERTY(bool summoned READ summoned NOTIFY changed)
    //! Why following ended, in plain words, until dismissed or following starts again; empty otherwise.
    Q_PROPERTY(QString notice READ notice NOTIFY changed)

public:
    explicit Following(const PeopleModel *people, QObject *parent = nullptr);

    [[nodiscard]] bool active() const { return m_active; }
    [[nodiscard]] const QString &presenterId() const { return m_presenter; }
    [[nodiscard]] QString presenterName() const;
    [[nodiscard]] bool resumable() const { return !m_active && !m_presenter.isEmpty(); }
    [[nodiscard]] bool summoned() const { return m_active && m_summoned; }
    [[nodiscard]] const QString &notice() const { return m_notice; }
    //! The presenter's latest view (board units); empty when not following or not known yet.
    [[nodiscard]] QRectF target() const;
    //! The latest view of a member, as relayed; empty when unknown.
    [[nodiscard]] QRectF viewOf(const QString &client) const { return m_views.value(client); }

    //! Follow a member (not ourselves). False when there is nobody by that id online.
    Q_INVOKABLE bool follow(const QString &clientId);
    //! Stop following, for good (no "Follow again").
    Q_INVOKABLE void stop();
    //! The user panned or zoomed: stop following, offer "Follow again".
    Q_INVOKABLE void interrupt();
    //! Take up following the presenter we stopped following by hand.
    Q_INVOKABLE bool followAgain() { return follow(m_presenter); }
    //! Forget the notice (and the offer to follow again).
    Q_INVOKABLE void dismiss();

    // ---- what the room says (the Session feeds these) ----
    void setSelf(const QString &clientId) { m_self = clientId; }
    void viewReceived(const proto::View &view);
    void summonReceived(const proto::Summon &summon);
    void memberLeft(const QString &client);
    //! A welcome: views are relayed again after the catch-up; a presenter who is gone ends following.
    void welcomed(const QList<proto::Member> &members);
    //! Another room, or none.
    void clear();

Q_SIGNALS:
    void changed();
    //! The rectangle to show changed (following started, or the presenter's view moved).
    void targetChanged();

private:
    void end(const QString &notice);

    const PeopleModel *m_people;
    QString m_self;
    QHash<QString, QRectF> m_views;
    QString m_presenter;
    QString m_presenterName; //!< their name when following started (they may be gone from the people list)
    bool m_active = false;
    bool m_summoned = false;
    QString m_notice;
};

} // namespace inkroom::client
