#include "cliprocess.h"

#include <QJsonDocument>
#include <QTest>

using namespace Qt::StringLiterals;

namespace inkroom::test {

CliProcess::CliProcess(const QString &program, const QStringList &arguments, const QProcessEnvironment &environment)
{
    m_process.setProgram(program);
    m_process.setArguments(arguments);
    m_process.setProcessEnvironment(environment);
    QObject::connect(&m_process, &QProcess::readyReadStandardOutput, [this] { read(); });
    QObject::connect(&m_process, &QProcess::readyReadStandardError,
                     [this] { m_errors += m_process.readAllStandardError(); });
    m_process.start();
    m_process.waitForStarted(DefaultWaitMs);
}

CliProcess::~CliProcess()
{
    if (m_process.state() != QProcess::NotRunning) {
        m_process.kill();
        m_process.waitForFinished(2000);
    }
}

void CliProcess::write(const QString &line)
{
    m_process.write(line.toUtf8() + '\n');
}

void CliProcess::write(const QStringList &lines)
{
    QByteArray bytes;
    for (const QString &line : lines)
        bytes += line.toUtf8() + '\n';
    m_process.write(bytes);
}

void CliProcess::closeInput()
{
    m_process.closeWriteChannel();
}

void CliProcess::kill()
{
    m_process.kill();
    m_process.waitForFinished(5000);
    read();
}

bool CliProcess::waitForExit(int timeoutMs)
{
    if (!QTest::qWaitFor([this] { return m_process.state() == QProcess::NotRunning; }, timeoutMs))
        return false;
    read();
    return true;
}

QString CliProcess::errors()
{
    m_errors += m_process.readAllStandardError();
    return QString::fromUtf8(m_errors);
}

QList<QJsonObject> CliProcess::events(const QString &type) const
{
    QList<QJsonObject> list;
    for (const QJsonObject &e : m_events) {
        if (type.isEmpty() || e.value("type"_L1).toString() == type)
            list.append(e);
    }
    return list;
}

bool CliProcess::waitFor(const std::function<bool(const QJsonObject &)> &pred, int timeoutMs)
{
    return QTest::qWaitFor([&] { return std::any_of(m_events.cbegin(), m_events.cend(), pred); }, timeoutMs);
}

bool CliProcess::waitForEvent(const QString &type, int timeoutMs)
{
    return waitFor([&type](const QJsonObject &e) { return e.value("type"_L1).toString() == type; }, timeoutMs);
}

QString CliProcess::clientId() const
{
    const QList<QJsonObject> welcomes = events(u"welcome"_s);
    return welcomes.isEmpty() ? QString() : welcomes.last().value("you"_L1).toString();
}

void CliProcess::read()
{
    m_partial += m_process.readAllStandardOutput();
    qsizetype newline;
    while ((newline = m_partial.indexOf('\n')) >= 0) {
        const QByteArray line = m_partial.left(newline);
        m_partial.remove(0, newline + 1);
        const QJsonDocument doc = QJsonDocument::fromJson(line);
        if (!doc.isObject() || !doc.object().contains("type"_L1))
            ++m_badLines;
        else
            m_events.append(doc.object());
    }
}

} // namespace inkroom::test
