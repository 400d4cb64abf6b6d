#pragma once

#include "txtrecord.h"

#include <QObject>
#include <QString>

#include <memory>

namespace inkroom::lan {

/** @brief Announces one Inkroom server on the local network: DNS-SD service _inkroom._tcp on a port, with the TXT
 *  record of an Announcement, through the system's mDNS responder (avahi-daemon, over the system D-Bus).
 *
 * Runs on the thread that made it, on Qt's event loop (QtAvahiPoll); nothing blocks. When another service has the
 * same name, DNS-SD's own conflict renaming picks the next ("Room 214 #2"). Without a responder it waits for one
 * (state WaitingForResponder) and announces as soon as it appears; a responder that restarts is announced to again.
 * Destroying it (or stop()) withdraws the announcement: the responder sends goodbye packets, so browsers drop the
 * server within a second or so.
 */
class ServiceAnnouncer : public QObject
{
    Q_OBJECT

public:
    enum class State {
        Stopped,
        WaitingForResponder, //!< no mDNS responder (yet): nothing is announced
        Registering, //!< the responder is probing the name
        Announced, //!< on the network as announcedName()
        Failed //!< the responder refused it; reason() says why
    };
    Q_ENUM(State)

    explicit ServiceAnnouncer(QObject *parent = nullptr);
    ~ServiceAnnouncer() override;

    //! Start announcing (again, if it was); name is cut to 63 bytes.
    void announce(const QString &name, quint16 port, const Announcement &txt);
    void stop();

    [[nodiscard]] State state() const { return m_state; }
    //! The instance name on the network (after conflict renaming); empty until Announced.
    [[nodiscard]] QString announcedName() const { return m_announcedName; }
    //! Why the state is WaitingForResponder or Failed, in plain words.
    [[nodiscard]] QString reason() const { return m_reason; }

Q_SIGNALS:
    void stateChanged();

private:
    struct Private;
    friend struct Private;
    void setState(State state, const QString &reason = {});

    std::unique_ptr<Private> d;
    State m_state = State::Stopped;
    QString m_announcedName;
    QString m_reason;
};

} // namespace inkroom::lan
