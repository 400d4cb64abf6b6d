#include "sessionroom.h"

#include "testutil.h"

#include <QTest>

namespace inkroom::test {

namespace {
constexpr int kOnlineWait = 10000;
}

SessionRoom::SessionRoom(QString room, QColor colour)
    : m_room(std::move(room))
    , m_colour(colour)
    , m_server(std::make_unique<ServerFixture>())
    , m_proxy(std::make_unique<FaultProxy>())
{ }

SessionRoom::~SessionRoom()
{
    m_sessions.clear();
    m_dirs.clear();
    m_proxy.reset();
    m_server.reset();
}

bool SessionRoom::start()
{
    return m_server->start() && m_proxy->listen(m_server->port());
}

client::Session *SessionRoom::add(const QString &name, const QUrl &url, const QString &stateDir,
                                  const QString &password)
{
    auto session = std::make_unique<client::Session>();
    session->setTimings(fastTimings());
    session->setStateDirectory(stateDir);
    session->join(url.isEmpty() ? m_proxy->url() : url, m_room, name, m_colour, password);
    m_sessions.push_back(std::move(session));
    return m_sessions.back().get();
}

client::Session *SessionRoom::join(const QString &name, bool viaProxy)
{
    client::Session *s = add(name, viaProxy ? m_proxy->url() : m_server->url());
    if (!QTest::qWaitFor([s] { return s->state() == client::Session::Online; }, kOnlineWait))
        return nullptr;
    return s;
}

void SessionRoom::removeLast()
{
    if (!m_sessions.empty())
        m_sessions.pop_back();
}

QString SessionRoom::stateDir()
{
    m_dirs.push_back(std::make_unique<QTemporaryDir>());
    return m_dirs.back()->path();
}

} // namespace inkroom::test
