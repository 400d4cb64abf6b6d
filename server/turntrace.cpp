#include "turntrace.h"

#include <QFile>
#include <QTextStream>

#include <chrono>

namespace inkroom::server {

namespace {
qint64 nowNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}
//! Turns kept before the trace stops recording (about 80 MB): minutes of a busy server.
constexpr std::size_t kMaxTurns = 1 << 20;
} // namespace

std::unique_ptr<TurnTrace> TurnTrace::fromEnvironment()
{
    const QString path = qEnvironmentVariable("INKROOM_TRACE_TURNS");
    if (path.isEmpty())
        return nullptr;
    return std::make_unique<TurnTrace>(path);
}

TurnTrace::TurnTrace(const QString &path)
    : m_path(path)
    , m_originNs(nowNs())
{
    m_turns.reserve(64 * 1024);
    s_active = this;
}

TurnTrace::~TurnTrace()
{
    if (s_active == this)
        s_active = nullptr;
    write();
}

void TurnTrace::waitBegins()
{
    const qint64 now = nowNs();
    if (m_inTurn && m_turns.size() < kMaxTurns) {
        m_turn.busyNs = now - m_originNs - m_turn.startNs;
        m_turns.push_back(m_turn);
    }
    m_inTurn = false;
    m_waitStartNs = now;
}

void TurnTrace::waitEnded(int ready)
{
    const qint64 now = nowNs();
    m_turn = Turn {};
    m_turn.startNs = now - m_originNs;
    m_turn.waitNs = m_waitStartNs < 0 ? 0 : now - m_waitStartNs;
    m_turn.ready = ready;
    m_inTurn = true;
}

bool TurnTrace::write() const
{
    QFile file(m_path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Text))
        return false;
    QTextStream out(&file);
    out << "start_us\twait_us\tbusy_us\tready\tmessages\tbytes_in\tdeliveries\twrites\tbytes_out\n";
    for (const Turn &turn : m_turns) {
        out << turn.startNs / 1000 << '\t' << turn.waitNs / 1000 << '\t' << double(turn.busyNs) / 1000.0 << '\t'
            << turn.ready << '\t' << turn.messages << '\t' << turn.bytesIn << '\t' << turn.deliveries << '\t'
            << turn.writes << '\t' << turn.bytesOut << '\n';
    }
    return out.status() == QTextStream::Ok;
}

} // namespace inkroom::server
