#include "roomhandover.h"

#include "session.h"

#include <QStandardPaths>

#include <utility>

using namespace Qt::StringLiterals;

namespace inkroom::ui {

RoomHandover::RoomHandover(client::Session *session, QObject *parent)
    : QObject(parent)
    , m_session(session)
{
    m_dataDir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + u"/taken-over"_s;
    m_server.setStoredRoomsOnly(true);
    client::RoomMoves *moves = session->moves();
    connect(moves, &client::RoomMoves::standbyStarted, this, &RoomHandover::onStandbyStarted);
    connect(moves, &client::RoomMoves::standbyEnded, this, &RoomHandover::onStandbyEnded);
    connect(moves, &client::RoomMoves::takeOver, this, &RoomHandover::onTakeOver);
    connect(&m_server, &RoomHost::statusChanged, this, &RoomHandover::onServerStatus);
    connect(&m_server, &RoomHost::seeded, this, &RoomHandover::onSeeded);
}

void RoomHandover::onStandbyStarted()
{
    if (m_server.status() == RoomHost::Running) {
        reportReady();
        return;
    }
    // One folder per room's epoch: a copy never meets another room of the same name.
    m_server.setDataDir(m_dataDir + u'/' + m_session->moves()->copy().epoch());
    m_server.start(0);
}

void RoomHandover::onStandbyEnded()
{
    if (!m_serving && !m_pendingSeed)
        m_server.stop();
}

void RoomHandover::reportReady()
{
    m_session->moves()->standbyServerReady(m_server.port(), m_server.fingerprint());
}

void RoomHandover::onServerStatus()
{
    if (m_server.status() == RoomHost::Running) {
        reportReady();
        if (m_pendingSeed)
            m_server.seed(*std::exchange(m_pendingSeed, std::nullopt));
    } else if (m_server.status() == RoomHost::Failed && m_pendingSeed) {
        m_pendingSeed.reset();
        m_error = tr("This computer could not take the room over: %1").arg(m_server.error());
        Q_EMIT changed();
    } else if (m_serving && m_server.status() != RoomHost::Starting) {
        // Closed for everyone, or the room moved on: nothing is served here any more.
        m_serving = false;
        Q_EMIT changed();
    }
}

void RoomHandover::onTakeOver(const proto::RoomSeed &seed)
{
    if (m_server.status() == RoomHost::Running) {
        m_server.seed(seed);
        return;
    }
    m_pendingSeed = seed;
    if (m_server.status() != RoomHost::Starting) {
        m_server.setDataDir(m_dataDir + u'/' + seed.epoch);
        m_server.start(0);
    }
}

void RoomHandover::onSeeded(const QString &error)
{
    if (!error.isEmpty()) {
        m_error = tr("This computer could not take the room over: %1").arg(error);
        Q_EMIT changed();
        return;
    }
    m_error.clear();
    m_serving = true;
    Q_EMIT changed();
    // This app serves the room now: it never stands by for itself.
    m_session->setCanServe(false);
    // This app's own member joins its own server like everybody else, and resumes there.
    m_session->followRoom(QUrl(m_server.localAddress()), m_server.fingerprint());
}

} // namespace inkroom::ui
