#pragma once

#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QStringList>

#include <functional>

namespace inkroom::test {

/** @brief A running inkroom-cli whose standard output is read as JSON events, one per line.
 *
 * For the tests that drive the real executable: what a script sees, and what a crash (SIGKILL) does to it.
 */
class CliProcess
{
public:
    static constexpr int DefaultWaitMs = 15000;

    CliProcess(const QString &program, const QStringList &arguments,
               const QProcessEnvironment &environment = QProcessEnvironment::systemEnvironment());
    ~CliProcess();
    CliProcess(const CliProcess &) = delete;
    CliProcess &operator=(const CliProcess &) = delete;

    void write(const QString &line);
    void write(const QStringList &lines);
    void closeInput();
    //! SIGKILL, as a crash: no destructor runs, nothing queued is finished.
    void kill();
    bool waitForExit(int timeoutMs = DefaultWaitMs);
    [[nodiscard]] bool isRunning() const { return m_process.state() != QProcess::NotRunning; }
    [[nodiscard]] qint64 processId() const { return m_process.processId(); }
    [[nodiscard]] int exitCode() const { return m_process.exitCode(); }
    [[nodiscard]] bool crashed() const { return m_process.exitStatus() == QProcess::CrashExit; }
    [[nodiscard]] QString errors();

    [[nodiscard]] QList<QJsonObject> events(const QString &type = {}) const;
    bool waitFor(const std::function<bool(const QJsonObject &)> &pred, int timeoutMs = DefaultWaitMs);
    bool waitForEvent(const QString &type, int timeoutMs = DefaultWaitMs);
    [[nodiscard]] int badLines() const { return m_badLines; }
    //! The client id the server welcomed it as (empty before a welcome).
    [[nodiscard]] QString clientId() const;

private:
    void read();

    QProcess m_process;
    QByteArray m_partial;
    QList<QJsonObject> m_events;
    QByteArray m_errors;
    int m_badLines = 0;
};

} // namespace inkroom::test
