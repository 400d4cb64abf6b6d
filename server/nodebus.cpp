#include "nodebus.h"

#include "logging.h"
#include "postgresdialect.h"

#include <QRandomGenerator>
#include <QSocketNotifier>

#include <libpq-fe.h>

#include <vector>

using namespace Qt::StringLiterals;

namespace inkroom::server {

namespace {

//! How often a lost connection is tried again.
constexpr int kRetryMs = 1000;

} // namespace

NodeBus::NodeBus(StoreLocation location, QObject *parent)
    : QObject(parent)
    , m_location(std::move(location))
    , m_nodeId(QByteArray::number(QRandomGenerator::system()->generate64(), 16))
{
    m_retry.setInterval(kRetryMs);
    connect(&m_retry, &QTimer::timeout, this, &NodeBus::retry);
}

NodeBus::~NodeBus()
{
    disconnectNow();
}

bool NodeBus::start(QString *error)
{
    m_retry.start();
    return connectNow(error);
}

bool NodeBus::connectNow(QString *error)
{
    disconnectNow();
    // The same parameters the store's own connection has (StoreLocation), through libpq's keyword arrays: no quoting.
    std::vector<QByteArray> keys;
    std::vector<QByteArray> values;
    const auto add = [&](const char *key, const QString &value) {
        if (!value.isEmpty()) {
            keys.emplace_back(key);
            values.push_back(value.toUtf8());
        }
    };
    add("host", m_location.host);
    add("port", m_location.port > 0 ? QString::number(m_location.port) : QString());
    add("dbname", m_location.dbname);
    add("user", m_location.user);
    add("password", m_location.password);
    bool hasTimeout = false;
    bool hasName = false;
    for (const QString &option : std::as_const(m_location.options)) {
        const qsizetype eq = option.indexOf(u'=');
        if (eq <= 0)
            continue;
        keys.push_back(option.left(eq).toUtf8());
        values.push_back(option.mid(eq + 1).toUtf8());
        hasTimeout = hasTimeout || keys.back() == "connect_timeout";
        hasName = hasName || keys.back() == "application_name";
    }
    if (!hasTimeout)
        add("connect_timeout", u"3"_s);
    if (!hasName)
        add("application_name", u"inkroom-server (node bus)"_s);
    std::vector<const char *> k;
    std::vector<const char *> v;
    for (size_t i = 0; i < keys.size(); ++i) {
        k.push_back(keys[i].constData());
        v.push_back(values[i].constData());
    }
    k.push_back(nullptr);
    v.push_back(nullptr);
    m_conn = PQconnectdbParams(k.data(), v.data(), 0);
    const auto failed = [&](const QString &what) {
        const QString why = what + u": "_s + QString::fromUtf8(PQerrorMessage(m_conn)).trimmed();
        if (error)
            *error = why;
        qCWarning(lcStore).noquote() << "node bus:" << why;
        disconnectNow();
        return false;
    };
    if (PQstatus(m_conn) != CONNECTION_OK)
        return failed(u"cannot connect to "_s + m_location.describe());
    for (const char *channel :
         {PostgresDialect::kHeadChannel, PostgresDialect::kLiveChannel, PostgresDialect::kPresenceChannel}) {
        PGresult *result = PQexec(m_conn, QByteArray("LISTEN ").append(channel).constData());
        const bool ok = PQresultStatus(result) == PGRES_COMMAND_OK;
        PQclear(result);
        if (!ok)
            return failed(u"cannot listen on "_s + m_location.describe());
    }
    if (PQsetnonblocking(m_conn, 1) != 0)
        return failed(u"cannot listen on "_s + m_location.describe());
    m_notifier = std::make_unique<QSocketNotifier>(PQsocket(m_conn), QSocketNotifier::Read);
    connect(m_notifier.get(), &QSocketNotifier::activated, this, &NodeBus::readable);
    m_listening = true;
    qCInfo(lcStore).noquote() << "node bus: listening to the other servers of" << m_location.describe() << "as node"
                              << m_nodeId;
    Q_EMIT resumed();
    sendNext();
    return true;
}

void NodeBus::disconnectNow()
{
    m_notifier.reset();
    if (m_conn)
        PQfinish(m_conn);
    m_conn = nullptr;
    m_inFlight = false;
    m_listening = false;
    m_presence.clear();
}

void NodeBus::retry()
{
    if (m_listening) {
        // A quiet connection is asked a question now and then, so a broken one is found out.
        if (!m_inFlight && m_outgoing.isEmpty() && m_presence.isEmpty() && PQsendQuery(m_conn, "SELECT 1") == 1) {
            m_inFlight = true;
            m_inFlightFor.start();
            PQflush(m_conn);
        } else if (PQstatus(m_conn) != CONNECTION_OK || (m_inFlight && m_inFlightFor.elapsed() > kUnansweredMs)) {
            qCWarning(lcStore).noquote() << "node bus: the connection to" << m_location.describe()
                                         << "does not answer; reconnecting";
            disconnectNow();
        }
        return;
    }
    QString error;
    if (connectNow(&error))
        qCWarning(lcStore).noquote() << "node bus: reconnected to" << m_location.describe();
}

void NodeBus::readable()
{
    if (!m_conn)
        return;
    if (PQconsumeInput(m_conn) == 0) {
        qCWarning(lcStore).noquote() << "node bus: lost the connection to" << m_location.describe() << "("
                                     << QString::fromUtf8(PQerrorMessage(m_conn)).trimmed() << "); reconnecting";
        disconnectNow();
        return;
    }
    while (m_inFlight && PQisBusy(m_conn) == 0) {
        PGresult *result = PQgetResult(m_conn);
        if (!result) {
            m_inFlight = false;
            break;
        }
        PQclear(result);
    }
    while (PGnotify *notify = PQnotifies(m_conn)) {
        const QByteArray channel(notify->relname);
        const QByteArray payload(notify->extra);
        PQfreemem(notify);
        if (channel == PostgresDialect::kHeadChannel) {
            if (m_dropHeads > 0) {
                --m_dropHeads;
                continue;
            }
            const QList<QByteArray> parts = payload.split(' ');
            bool roomOk = false;
            bool headOk = false;
            const qint64 room = parts.value(0).toLongLong(&roomOk);
            const quint64 head = parts.value(1).toULongLong(&headOk);
            if (parts.size() == 2 && roomOk && headOk)
                Q_EMIT headReached(room, head);
        } else if (channel == PostgresDialect::kLiveChannel) {
            Q_EMIT liveReceived(payload);
        } else if (channel == PostgresDialect::kPresenceChannel) {
            Q_EMIT presenceReceived(payload);
        }
        if (!m_conn)
            return; // a slot stopped the bus
    }
    sendNext();
}

void NodeBus::publishLive(const QByteArray &payload)
{
    if (!m_listening || payload.size() > kMaxPayload)
        return;
    if (m_outgoing.size() >= kMaxQueued)
        m_outgoing.removeFirst();
    m_outgoing.append(payload);
    sendNext();
}

void NodeBus::publishPresence(const QByteArray &payload)
{
    if (!m_listening || payload.size() > kMaxPayload)
        return;
    m_presence.append(payload);
    sendNext();
}

void NodeBus::sendNext()
{
    if (!m_conn || m_inFlight || (m_outgoing.isEmpty() && m_presence.isEmpty()))
        return;
    const bool presence = !m_presence.isEmpty();
    const QByteArray payload = presence ? m_presence.takeFirst() : m_outgoing.takeFirst();
    const char *values[] = {presence ? PostgresDialect::kPresenceChannel : PostgresDialect::kLiveChannel,
                            payload.constData()};
    if (PQsendQueryParams(m_conn, "SELECT pg_notify($1, $2)", 2, nullptr, values, nullptr, nullptr, 0) != 1) {
        qCWarning(lcStore).noquote() << "node bus: cannot send:" << QString::fromUtf8(PQerrorMessage(m_conn)).trimmed();
        return;
    }
    m_inFlight = true;
    m_inFlightFor.start();
    PQflush(m_conn);
}

} // namespace inkroom::server
