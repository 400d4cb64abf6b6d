// inkroom-embedded-host: the server as the desktop app hosts it, for inkroom-bench --servers embedded.
//
// It takes inkroom-server's command line, but runs the server the way ui::RoomHost does: on a thread of a
// QGuiApplication, on the epoll dispatcher RoomHost gives that thread, while the GUI thread draws a Qt Quick window
// that animates every frame. So the load generator measures what members of an app-hosted room get, and this
// program measures what the person hosting gets: the GUI thread's frame intervals, first for a few seconds alone
// (--baseline-seconds, before the server starts) and then while the server serves. SIGTERM or SIGINT shut the
// server down, and the frame intervals go to --frame-stats FILE as JSON.
//
// Without a display it uses the offscreen platform and Qt Quick's software renderer, so the frames are drawn on the
// GUI thread itself, next to everything else that thread does (which is what is measured).
#include "epolldispatcher.h"
#include "server.h"
#include "serverapp.h"
#include "shutdownsignals.h"

#include <QElapsedTimer>
#include <QFile>
#include <QGuiApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <QQmlComponent>
#include <QQmlEngine>
#include <QQuickItem>
#include <QQuickWindow>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <memory>

using namespace Qt::StringLiterals;
using namespace inkroom;

namespace {

//! The GUI thread's frame intervals, in two phases.
class FrameClock
{
public:
    void frame()
    {
        const qint64 now = m_clock.nsecsElapsed();
        if (m_last >= 0)
            (m_serving ? m_busy : m_alone).append(double(now - m_last) / 1e6);
        m_last = now;
    }
    void startServing()
    {
        m_serving = true;
        m_last = -1; // the interval across the switch belongs to neither phase
    }
    [[nodiscard]] QJsonObject report() const
    {
        return {{u"alone"_s, summary(m_alone)}, {u"serving"_s, summary(m_busy)}};
    }

    FrameClock() { m_clock.start(); }

private:
    static QJsonObject summary(QList<double> intervals)
    {
        std::sort(intervals.begin(), intervals.end());
        const auto at = [&intervals](double q) {
            return intervals.isEmpty() ? 0.0 : intervals[qsizetype(q * double(intervals.size() - 1))];
        };
        const auto over = [&intervals](double ms) {
            return double(std::count_if(intervals.cbegin(), intervals.cend(), [ms](double v) { return v > ms; }));
        };
        return {{u"frames"_s, double(intervals.size())},
                {u"p50_ms"_s, at(0.50)},
                {u"p95_ms"_s, at(0.95)},
                {u"p99_ms"_s, at(0.99)},
                {u"max_ms"_s, intervals.isEmpty() ? 0.0 : intervals.constLast()},
                {u"over_33ms"_s, over(33.4)}};
    }

    QElapsedTimer m_clock;
    qint64 m_last = -1;
    bool m_serving = false;
    QList<double> m_alone;
    QList<double> m_busy;
};

//! Owns the server on its thread, as ui::RoomHost's worker does.
class HostedServer : public QObject
{
    Q_OBJECT

public:
    explicit HostedServer(server::ServerConfig config)
        : m_config(std::move(config))
    { }

    void start()
    {
        m_server = std::make_unique<server::Server>(m_config);
        QString error;
        if (!m_server->start(&error)) {
            m_server.reset();
            Q_EMIT started(0, error);
            return;
        }
        connect(m_server.get(), &server::Server::finished, this, &HostedServer::release, Qt::QueuedConnection);
        Q_EMIT started(m_server->port(), {});
    }
    void stop()
    {
        if (m_server)
            m_server->shutdown();
        else
            Q_EMIT stopped();
    }

Q_SIGNALS:
    void started(int port, const QString &error);
    void stopped();

private:
    void release()
    {
        m_server.reset();
        Q_EMIT stopped();
    }

    server::ServerConfig m_config;
    std::unique_ptr<server::Server> m_server;
};

const char *const kScene = R"(
import QtQuick
Rectangle {
    width: 640; height: 400; color: "white"
    Repeater {
        model: 24
        Rectangle {
            required property int index
            x: 20 + (index % 6) * 100; y: 20 + Math.floor(index / 6) * 90
            width: 70; height: 70; radius: 8; color: Qt.hsla(index / 24, 0.6, 0.5, 1)
            RotationAnimation on rotation { from: 0; to: 360; duration: 2000 + index * 50; loops: Animation.Infinite }
        }
    }
}
)";

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("DISPLAY") && qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY")
        && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) {
        qputenv("QT_QPA_PLATFORM", "offscreen");
    }
    if (qgetenv("QT_QPA_PLATFORM") == "offscreen" && qEnvironmentVariableIsEmpty("QT_QUICK_BACKEND"))
        qputenv("QT_QUICK_BACKEND", "software");
    QGuiApplication app(argc, argv);

    // Our two options; the rest is inkroom-server's command line.
    QStringList arguments = QCoreApplication::arguments();
    QString statsFile;
    int baselineSeconds = 3;
    for (qsizetype i = 1; i + 1 < arguments.size();) {
        if (arguments[i] == u"--frame-stats"_s) {
            statsFile = arguments[i + 1];
            arguments.remove(i, 2);
        } else if (arguments[i] == u"--baseline-seconds"_s) {
            baselineSeconds = std::max(0, arguments[i + 1].toInt());
            arguments.remove(i, 2);
        } else {
            ++i;
        }
    }
    bool verbose = false;
    QString error;
    const std::optional<server::ServerConfig> config = server::configFromArguments(arguments, &verbose, &error);
    if (!config) {
        std::fprintf(stderr, "inkroom-embedded-host: %s\n", qPrintable(error));
        return 2;
    }

    QQmlEngine engine;
    QQmlComponent component(&engine);
    // A local URL: anything else would make the component load asynchronously.
    component.setData(kScene, QUrl::fromLocalFile(QCoreApplication::applicationDirPath() + u"/scene.qml"_s));
    std::unique_ptr<QObject> root(component.create());
    if (!root) {
        std::fprintf(stderr, "inkroom-embedded-host: %s\n", qPrintable(component.errorString()));
        return 2;
    }
    QQuickWindow window;
    window.resize(640, 400);
    qobject_cast<QQuickItem *>(root.get())->setParentItem(window.contentItem());
    FrameClock frames;
    // Timed on the GUI thread: with the basic render loop (software, offscreen) frameSwapped comes there; with the
    // threaded one it comes from the render thread, queued, so a busy GUI thread shows in the intervals either way.
    QObject::connect(&window, &QQuickWindow::frameSwapped, &window, [&frames] { frames.frame(); });
    window.show();

    QThread thread;
    thread.setObjectName(u"inkroom-host"_s);
    server::EpollDispatcher::installOn(thread);
    auto *hosted = new HostedServer(*config);
    hosted->moveToThread(&thread);
    QObject::connect(&thread, &QThread::finished, hosted, &QObject::deleteLater);
    thread.start();

    int exitCode = 0;
    QObject::connect(hosted, &HostedServer::started, &app, [&](int port, const QString &failure) {
        if (port == 0) {
            std::fprintf(stderr, "inkroom-embedded-host: %s\n", qPrintable(failure));
            exitCode = 1;
            app.quit();
            return;
        }
        frames.startServing();
        std::printf("Listening on port %d (in the app's hosting thread)\n", port);
        std::fflush(stdout);
    });
    QObject::connect(hosted, &HostedServer::stopped, &app, &QCoreApplication::quit);
    QTimer::singleShot(baselineSeconds * 1000, hosted, [hosted] { hosted->start(); });

    server::ShutdownSignals signals;
    QObject::connect(&signals, &server::ShutdownSignals::received, hosted, [hosted] { hosted->stop(); });

    app.exec();
    thread.quit();
    thread.wait();
    if (!statsFile.isEmpty()) {
        QFile out(statsFile);
        if (!out.open(QIODevice::WriteOnly) || out.write(QJsonDocument(frames.report()).toJson()) < 0)
            std::fprintf(stderr, "inkroom-embedded-host: cannot write %s\n", qPrintable(statsFile));
    }
    return exitCode;
}

#include "main.moc"
