#pragma once

#include <QString>

#include <memory>
#include <vector>

namespace inkroom::server {

/** @brief An opt-in trace of the server's event-loop turns: for each, how long it waited, how long it ran, how many
 *  sockets were ready, and what it did (messages read, deliveries queued, writes to the kernel, bytes each way).
 *
 * Off unless INKROOM_TRACE_TURNS names a file (inkroom-server and the embedded host read it at start); then the
 * turns are kept in memory and written there, one tab-separated line each, when the trace ends. When off, what the
 * hot path pays is one load of a null pointer per event counted. It needs the EpollDispatcher, which reports where
 * a wait begins and ends. Counts come from the thread the server runs on only.
 */
class TurnTrace
{
public:
    //! The trace being taken, or nullptr (the normal case).
    [[nodiscard]] static TurnTrace *active() { return s_active; }
    //! Start the trace INKROOM_TRACE_TURNS asks for (nullptr when it is not set); it ends when the result is deleted.
    [[nodiscard]] static std::unique_ptr<TurnTrace> fromEnvironment();
    explicit TurnTrace(const QString &path);
    ~TurnTrace();
    TurnTrace(const TurnTrace &) = delete;
    TurnTrace &operator=(const TurnTrace &) = delete;

    // ---- what the dispatcher reports ----
    void waitBegins();
    void waitEnded(int ready);

    // ---- what the server counts (inline: the hot path) ----
    void countMessage(qint64 bytes)
    {
        ++m_turn.messages;
        m_turn.bytesIn += bytes;
    }
    void countDelivery() { ++m_turn.deliveries; }
    void countWrite(qint64 bytes)
    {
        ++m_turn.writes;
        if (bytes > 0)
            m_turn.bytesOut += bytes;
    }

    //! Write what was traced so far (also done when the trace ends); false when the file cannot be written.
    bool write() const;

private:
    struct Turn
    {
        qint64 startNs = 0; //!< when the wait before it ended, from the start of the trace
        qint64 waitNs = 0; //!< how long that wait was
        qint64 busyNs = 0; //!< from the end of the wait to the beginning of the next
        int ready = 0; //!< descriptors the wait returned
        int messages = 0;
        qint64 bytesIn = 0;
        int deliveries = 0;
        int writes = 0;
        qint64 bytesOut = 0;
    };
    static inline TurnTrace *s_active = nullptr;
    QString m_path;
    qint64 m_originNs = 0;
    qint64 m_waitStartNs = -1;
    Turn m_turn;
    bool m_inTurn = false;
    std::vector<Turn> m_turns;
};

} // namespace inkroom::server
