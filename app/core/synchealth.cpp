#include "synchealth.h"

#include "session.h"

#include <algorithm>

namespace inkroom::client {

SyncHealth::SyncHealth(QObject *parent)
    : QObject(parent)
{
    m_tick.setInterval(1000);
    connect(&m_tick, &QTimer::timeout, this, &SyncHealth::changed);
}

void SyncHealth::setSession(Session *session)
{
    if (m_session == session)
        return;
    if (m_session)
        disconnect(m_session, nullptr, this, nullptr);
    m_session = session;
    m_head = 0;
    if (m_session) {
        for (auto signal : {&Session::stateChanged, &Session::roundTripMsChanged, &Session::pendingCountChanged,
                            &Session::securityChanged, &Session::journalProblemChanged, &Session::roomChanged,
                            &Session::serverUrlChanged})
            connect(m_session, signal, this, &SyncHealth::changed);
        connect(m_session, &Session::pendingCountChanged, this, &SyncHealth::updateTimer);
        connect(m_session, &Session::roomChanged, this, [this] { m_head = 0; });
        connect(m_session, &Session::welcomed, this, [this](const proto::Welcome &welcome) { noteHead(welcome.head); });
        connect(m_session, &Session::synced, this, &SyncHealth::noteHead);
        connect(m_session, &Session::opApplied, this, [this](const proto::Op &op, bool) { noteHead(op.seq); });
        connect(m_session, &Session::acknowledged, this, [this](quint64, quint64 seq) { noteHead(seq); });
        connect(m_session, &Session::snapshotApplied, this, [this](quint64 seq, int) { noteHead(seq); });
    }
    updateTimer();
    Q_EMIT sessionChanged();
    Q_EMIT changed();
}

void SyncHealth::setActive(bool active)
{
    if (m_active == active)
        return;
    m_active = active;
    updateTimer();
    Q_EMIT activeChanged();
    Q_EMIT changed();
}

void SyncHealth::noteHead(quint64 seq)
{
    // The head moves on with every op the room orders; it never goes back (but for another room, reset above).
    m_head = std::max(m_head, seq);
    Q_EMIT changed();
}

void SyncHealth::updateTimer()
{
    if (m_active && waiting() > 0)
        m_tick.start();
    else
        m_tick.stop();
}

bool SyncHealth::online() const
{
    return m_session && m_session->state() == Session::Online;
}

int SyncHealth::roundTripMs() const
{
    return m_session ? m_session->roundTripMs() : -1;
}

qint64 SyncHealth::lastApplied() const
{
    return m_session ? qint64(m_session->board()->confirmed().seq()) : 0;
}

qint64 SyncHealth::roomHead() const
{
    return qint64(std::max(m_head, quint64(lastApplied())));
}

int SyncHealth::waiting() const
{
    return m_session ? m_session->pendingCount() : 0;
}

int SyncHealth::oldestWaitingSeconds() const
{
    return m_session ? int(m_session->outbox().oldestAgeMs() / 1000) : 0;
}

bool SyncHealth::journalOnDisk() const
{
    return m_session && m_session->outbox().isPersistent() && m_session->journalProblem().isEmpty();
}

QString SyncHealth::journalProblem() const
{
    return m_session ? m_session->journalProblem() : QString();
}

QString SyncHealth::server() const
{
    return m_session && !m_session->serverUrl().isEmpty() ? m_session->serverKey() : QString();
}

QString SyncHealth::otherServers() const
{
    if (!m_session)
        return {};
    QStringList others;
    for (const QUrl &url : m_session->serverUrls()) {
        if (url != m_session->serverUrl())
            others << KnownServers::keyFor(url);
    }
    return others.join(u", ");
}

bool SyncHealth::encrypted() const
{
    return m_session && m_session->encrypted();
}

QString SyncHealth::serverFingerprint() const
{
    return m_session ? m_session->serverFingerprint() : QString();
}

QString SyncHealth::tlsVersion() const
{
    return m_session ? m_session->tlsVersion() : QString();
}

QString SyncHealth::report() const
{
    if (!m_session)
        return {};
    QStringList lines;
    lines << tr("Server: %1, room %2").arg(m_session->serverKey(), m_session->room());
    if (!otherServers().isEmpty())
        lines << tr("Other addresses of the room: %1").arg(otherServers());
    lines << tr("State: %1").arg(stateName(m_session->state()));
    lines << (roundTripMs() >= 0 ? tr("Round trip: %1 ms").arg(roundTripMs()) : tr("Round trip: unknown"));
    lines << tr("Last applied: %1 of the room's %2").arg(lastApplied()).arg(roomHead());
    lines << tr("Changes waiting: %1 (oldest %2 s)").arg(waiting()).arg(oldestWaitingSeconds());
    lines << (journalOnDisk() ? tr("Journal: on disk") : tr("Journal: memory only %1").arg(journalProblem()).trimmed());
    lines << (encrypted() ? tr("TLS: %1, fingerprint %2").arg(tlsVersion(), serverFingerprint())
                          : tr("TLS: not encrypted"));
    return lines.join(u'\n');
}

} // namespace inkroom::client
