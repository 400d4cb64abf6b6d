#include "serverfixture.h"

#include <QDir>
#include <QTest>

namespace inkroom::test {

server::ServerConfig fastServerConfig(const QString &dataDir)
{
    server::ServerConfig config;
    config.bind = QHostAddress::LocalHost;
    config.port = 0;
    config.dataDir = dataDir;
    config.insecure = true; // plain ws://: the TLS tests ask for TLS themselves
    config.passwordIterations = 1000;
    config.closeGraceMs = 200;
    config.roomUnloadDelayMs = 1000;
    return config;
}

ServerFixture::ServerFixture(std::function<void(server::ServerConfig &)> tweak)
    : m_tweak(std::move(tweak))
{ }

ServerFixture::~ServerFixture()
{
    kill();
}

bool ServerFixture::start(quint16 port)
{
    server::ServerConfig config = fastServerConfig(m_dir.path());
    config.port = port;
    if (m_tweak)
        m_tweak(config);
    auto candidate = std::make_unique<server::Server>(config);
    QString error;
    // A port just released can take a moment to be free again.
    for (int tries = 0; tries < 50; ++tries) {
        if (candidate->start(&error)) {
            m_server = std::move(candidate);
            m_port = m_server->port();
            return true;
        }
        QTest::qWait(100);
        candidate = std::make_unique<server::Server>(config);
    }
    qWarning("server did not start: %s", qPrintable(error));
    return false;
}

void ServerFixture::stop()
{
    if (!m_server)
        return;
    bool finished = false;
    QObject::connect(m_server.get(), &server::Server::finished, [&finished] { finished = true; });
    m_server->shutdown();
    if (!QTest::qWaitFor([&finished] { return finished; }, 5000))
        qWarning("the server did not finish its shutdown in time");
    m_server.reset();
}

void ServerFixture::kill()
{
    m_server.reset();
}

bool ServerFixture::restart(bool samePort)
{
    stop();
    return start(samePort ? m_port : 0);
}

void ServerFixture::wipe()
{
    QDir dir(m_dir.path());
    for (const QString &name : dir.entryList(QDir::Files | QDir::Hidden))
        dir.remove(name);
}

QUrl ServerFixture::url() const
{
    const bool secure = m_server ? m_server->isSecure() : false;
    return QUrl((secure ? QStringLiteral("wss://127.0.0.1:%1") : QStringLiteral("ws://127.0.0.1:%1")).arg(m_port));
}

} // namespace inkroom::test
