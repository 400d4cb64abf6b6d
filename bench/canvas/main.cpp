// inkroom-canvas-bench: frame times of the real whiteboard (CanvasItem) on a big board, and the cost of one more
// point in a stroke being drawn. Needs OpenGL: run it on X (xvfb-run with QT_QPA_PLATFORM=xcb gives Mesa llvmpipe).
// See docs/BENCHMARKS.md for what is measured.

#include "appcontroller.h"
#include "canvasitem.h"
#include "procstats.h"
#include "session.h"
#include "traffic.h"

#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QGuiApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QOpenGLContext>
#include <QOpenGLFunctions>
#include <QQuickWindow>
#include <QRandomGenerator>
#include <QSurfaceFormat>
#include <QTextStream>
#include <QTimer>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;
using namespace inkroom;

namespace {

QTextStream &out()
{
    static QTextStream stream(stdout);
    return stream;
}

double percentile(QList<double> values, double q)
{
    if (values.isEmpty())
        return std::nan("");
    std::sort(values.begin(), values.end());
    const auto index = qsizetype(std::ceil(q * double(values.size()))) - 1;
    return values[std::clamp<qsizetype>(index, 0, values.size() - 1)];
}

//! strokes random-walk strokes of points points each, spread over a board of about 6,000 x 4,000 units.
QList<proto::Item> makeBoard(int strokes, int points)
{
    QList<proto::Item> items;
    items.reserve(strokes);
    QRandomGenerator random(42);
    for (int i = 0; i < strokes; ++i) {
        proto::Item item;
        item.id = u"bench:%1"_s.arg(i);
        item.kind = proto::ItemKind::Stroke;
        item.colour = 0xff000000 | (random.generate() & 0x7f7f7f);
        item.width = 1 + random.bounded(5);
        item.points = bench::randomStroke(random.generate(), points,
                                          QPointF(random.bounded(6000.0) - 3000, random.bounded(4000.0) - 2000));
        item.z = qint64(i) + 1;
        items.append(item);
    }
    return items;
}

//! Times of one frame, in milliseconds, from the window's own signals (basic render loop: all on this thread).
struct FrameProbe
{
    explicit FrameProbe(QQuickWindow *window, const ui::CanvasItem *canvas)
        : m_window(window)
        , m_canvas(canvas)
    {
        clock.start();
        QObject::connect(
            window, &QQuickWindow::beforeSynchronizing, window,
            [this] {
                syncStart = now();
                ++syncs;
            },
            Qt::DirectConnection);
        QObject::connect(
            window, &QQuickWindow::afterSynchronizing, window, [this] { syncEnd = now(); }, Qt::DirectConnection);
        QObject::connect(
            window, &QQuickWindow::frameSwapped, window,
            [this] {
                // The first frame on screen after the change is the one measured (see frame()).
                if (!m_measuring)
                    return;
                m_measuring = false;
                swapped = now();
                after = m_canvas->counters();
                ++frames;
            },
            Qt::DirectConnection);
    }

    [[nodiscard]] double now() const { return double(clock.nsecsElapsed()) / 1e6; }

    //! Run f (a change of the view, a point, or nothing), ask for a frame, and wait until it is on screen.
    //! Returns false if no frame came within 10 s.
    template<class F> bool frame(F &&f)
    {
        const int before = frames;
        const int syncsBefore = syncs;
        previous = after;
        start = now();
        atStart = m_canvas->counters();
        m_measuring = true;
        f();
        changed = now();
        m_window->update();
        QEventLoop loop;
        QTimer poll;
        QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
            if (frames != before)
                loop.quit();
        });
        // Stop at the swap itself: a quit queued behind it let the event loop render another frame first whenever a
        // tile had come in meanwhile (it asks for a frame of its own), and that frame was counted in this one.
        QObject::connect(m_window, &QQuickWindow::frameSwapped, &loop, &QEventLoop::quit, Qt::DirectConnection);
        QTimer::singleShot(10000, &loop, &QEventLoop::quit);
        poll.start(1);
        if (frames == before)
            loop.exec();
        syncsInFrame = syncs - syncsBefore;
        m_measuring = false;
        return frames != before;
    }

    [[nodiscard]] double total() const { return swapped - start; }
    [[nodiscard]] double change() const { return changed - start; }
    [[nodiscard]] double sync() const { return syncEnd - syncStart; }
    [[nodiscard]] double render() const { return swapped - syncEnd; }

    QElapsedTimer clock;
    double start = 0;
    double changed = 0;
    double syncStart = 0;
    double syncEnd = 0;
    double swapped = 0;
    int frames = 0;
    int syncs = 0;
    int syncsInFrame = 0; //!< more than one: the window synced (and rendered) again before the frame was swapped
    //! The canvas's counters at the end of the frame before, at the start of this one and at its end.
    ui::CanvasItem::Counters previous, atStart, after;

private:
    QQuickWindow *m_window;
    const ui::CanvasItem *m_canvas;
    bool m_measuring = false;
};

/** One line per frame (CSV): its times, and what the canvas did for it, from the canvas's counters. Counts "since"
 *  are from the end of the frame before to the end of this one (tiles finish between frames, and their textures are
 *  made in the next frame's sync); the workers' painting is split into during the frame and before it. */
class Trace
{
public:
    bool open(const QString &path)
    {
        m_file.setFileName(path);
        if (!m_file.open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Text))
            return false;
        m_stream.setDevice(&m_file);
        m_stream << "run,phase,frame,start_ms,frame_ms,change_ms,sync_ms,render_ms,level,level_changes,"
                    "tiles_painted,worker_ms_before,worker_ms_during,jobs_in_flight,tiles_held,uploads,upload_kb,"
                    "tile_nodes,nodes_added,nodes_removed,stand_ins,missing,textures_deleted,textures_held,"
                    "geometry_vertices,syncs\n";
        return true;
    }
    [[nodiscard]] bool isOpen() const { return m_file.isOpen(); }
    void row(int run, const QString &phase, int frame, const FrameProbe &probe)
    {
        if (!isOpen())
            return;
        const ui::CanvasItem::Counters &p = probe.previous;
        const ui::CanvasItem::Counters &s = probe.atStart;
        const ui::CanvasItem::Counters &a = probe.after;
        const auto ms = [](double v) { return QString::number(v, 'f', 3); };
        m_stream << run << ',' << phase << ',' << frame << ',' << ms(probe.start) << ',' << ms(probe.total()) << ','
                 << ms(probe.change()) << ',' << ms(probe.sync()) << ',' << ms(probe.render()) << ',' << a.level << ','
                 << a.tiles.levelChanges - p.tiles.levelChanges << ',' << a.tiles.tilesPainted - p.tiles.tilesPainted
                 << ',' << ms(double(s.paintingNs - p.paintingNs) / 1e6) << ','
                 << ms(double(a.paintingNs - s.paintingNs) / 1e6) << ',' << a.jobsInFlight << ',' << a.tilesHeld << ','
                 << a.scene.uploads - p.scene.uploads << ',' << (a.scene.uploadBytes - p.scene.uploadBytes) / 1024
                 << ',' << a.scene.tileNodes - p.scene.tileNodes << ',' << a.scene.nodesAdded - p.scene.nodesAdded
                 << ',' << a.scene.nodesRemoved - p.scene.nodesRemoved << ',' << a.tiles.standIns - p.tiles.standIns
                 << ',' << a.tiles.missing - p.tiles.missing << ',' << a.scene.texturesDeleted - p.scene.texturesDeleted
                 << ',' << a.scene.texturesHeld << ',' << a.scene.geometryVertices << ',' << probe.syncsInFrame << '\n';
    }

private:
    QFile m_file;
    QTextStream m_stream;
};

struct Series
{
    QList<double> total, change, sync, render;
    int extraRenders = 0; //!< frames during which the window rendered more than once (not in their times)
    void add(const FrameProbe &probe)
    {
        extraRenders += probe.syncsInFrame > 1 ? 1 : 0;
        total.append(probe.total());
        change.append(probe.change());
        sync.append(probe.sync());
        render.append(probe.render());
    }
};

QJsonObject summarise(const QString &name, const Series &s)
{
    const auto p = [](const QList<double> &v, double q) { return percentile(v, q); };
    out() << QString(u"  %1: frame p50 %2 ms, p95 %3 ms (sync p50 %4 ms, render+swap p50 %5 ms; change p50 %6 ms) "
                     "over %7 frames%8"_s)
                 .arg(name, -28)
                 .arg(p(s.total, 0.5), 0, 'f', 2)
                 .arg(p(s.total, 0.95), 0, 'f', 2)
                 .arg(p(s.sync, 0.5), 0, 'f', 2)
                 .arg(p(s.render, 0.5), 0, 'f', 2)
                 .arg(p(s.change, 0.5), 0, 'f', 3)
                 .arg(s.total.size())
                 .arg(s.extraRenders ? u", %1 with another frame rendered too"_s.arg(s.extraRenders) : QString())
          << Qt::endl;
    return QJsonObject {{u"name"_s, name},
                        {u"frames"_s, s.total.size()},
                        {u"frame_p50_ms"_s, p(s.total, 0.5)},
                        {u"frame_p95_ms"_s, p(s.total, 0.95)},
                        {u"frame_max_ms"_s, p(s.total, 1.0)},
                        {u"sync_p50_ms"_s, p(s.sync, 0.5)},
                        {u"sync_p95_ms"_s, p(s.sync, 0.95)},
                        {u"render_p50_ms"_s, p(s.render, 0.5)},
                        {u"change_p50_ms"_s, p(s.change, 0.5)},
                        {u"change_p95_ms"_s, p(s.change, 0.95)},
                        {u"extra_render_frames"_s, s.extraRenders}};
}

} // namespace

int main(int argc, char **argv)
{
    // One thread renders, right after the change (the basic loop), and nothing waits on a timer or for a vertical
    // blank: what is measured is the work of a frame, not the pacing of the display.
    if (qEnvironmentVariableIsEmpty("QSG_RENDER_LOOP"))
        qputenv("QSG_RENDER_LOOP", "basic");
    if (qEnvironmentVariableIsEmpty("QT_QPA_UPDATE_IDLE_TIME"))
        qputenv("QT_QPA_UPDATE_IDLE_TIME", "0");
    QSurfaceFormat format = QSurfaceFormat::defaultFormat();
    format.setSwapInterval(0);
    QSurfaceFormat::setDefaultFormat(format);
    QQuickWindow::setGraphicsApi(QSGRendererInterface::OpenGL);

    QGuiApplication app(argc, argv);
    // The app's own settings (its surface format among them), then a name of our own, so no profile of the app is
    // used.
    ui::configureApplication(app);
    format = QSurfaceFormat::defaultFormat();
    format.setSwapInterval(0);
    QSurfaceFormat::setDefaultFormat(format);
    QCoreApplication::setApplicationName(u"inkroom-canvas-bench"_s);
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Frame times of the Inkroom whiteboard on a big board (needs OpenGL)."_s);
    parser.addHelpOption();
    const QCommandLineOption smoke(u"smoke"_s, u"Small board, few frames (ctest)."_s);
    const QCommandLineOption strokes(u"strokes"_s, u"Strokes on the big board."_s, u"n"_s, u"10000"_s);
    const QCommandLineOption points(u"points"_s, u"Points per stroke."_s, u"n"_s, u"100"_s);
    const QCommandLineOption frames(u"frames"_s, u"Frames per measurement (at most)."_s, u"n"_s, u"240"_s);
    const QCommandLineOption seconds(u"seconds"_s, u"Time per measurement (at most; at least 20 frames)."_s, u"s"_s,
                                     u"12"_s);
    const QCommandLineOption json(u"json"_s, u"Write the results as JSON here."_s, u"file"_s);
    const QCommandLineOption repeat(u"repeat"_s, u"Measure this many times; medians are reported."_s, u"n"_s, u"1"_s);
    const QCommandLineOption samples(u"samples"_s, u"Multisampling of the window (default: the app's)."_s, u"n"_s);
    const QCommandLineOption trace(u"trace"_s,
                                   u"Write every frame of the runs here (CSV): its times, and the tiles painted, "
                                   "uploaded and drawn for it."_s,
                                   u"file"_s);
    const QCommandLineOption grab(u"grab"_s,
                                  u"Save the window as PNG files here at a few frames of the first run's pan + zoom at "
                                  "1:1, to look for holes and out-of-date tiles (grabbing costs time: not for "
                                  "measuring)."_s,
                                  u"dir"_s);
    parser.addOptions({smoke, strokes, points, frames, seconds, json, repeat, samples, trace, grab});
    parser.process(app);
    const bool isSmoke = parser.isSet(smoke);
    const int bigStrokes = isSmoke ? 300 : std::max(10, parser.value(strokes).toInt());
    const int pointsPerStroke = std::max(2, parser.value(points).toInt());
    const int frameCount = isSmoke ? 20 : std::max(20, parser.value(frames).toInt());
    const double budgetMs = 1000 * std::max(1.0, parser.value(seconds).toDouble());
    // A measurement takes frameCount frames, or fewer when they are slow (never fewer than 20).
    const auto enough = [&](int done, const Series &series) {
        if (done >= frameCount)
            return true;
        double spent = 0;
        for (double t : series.total)
            spent += t;
        return done >= 20 && spent >= budgetMs;
    };

    if (parser.isSet(samples)) {
        QSurfaceFormat chosen = QSurfaceFormat::defaultFormat();
        chosen.setSamples(parser.value(samples).toInt());
        QSurfaceFormat::setDefaultFormat(chosen);
    }
    QQuickWindow window;
    window.resize(1280, 800);
    window.setColor(Qt::white);
    auto *canvas = new ui::CanvasItem(window.contentItem());
    canvas->setSize(QSizeF(1280, 800));
    // A real session with no server to reach (port 9 on loopback, retried rarely): the canvas reads its board.
    auto *session = new client::Session(canvas);
    client::Timings timings;
    timings.backoffInitialMs = 600000;
    timings.backoffMaxMs = 600000;
    session->setTimings(timings);
    session->join(QUrl(u"ws://127.0.0.1:9"_s), u"canvas-bench"_s, u"Bench"_s, QColor(Qt::black));
    canvas->setSession(session);
    window.show();
    FrameProbe probe(&window, canvas);
    Trace frameTrace;
    if (parser.isSet(trace) && !frameTrace.open(parser.value(trace))) {
        QTextStream(stderr) << "inkroom-canvas-bench: cannot write " << parser.value(trace) << '\n';
        return 1;
    }
    int runNumber = 0;
    //! A frame with f (see FrameProbe::frame()), traced as frame n of phase.
    const auto traced = [&](const QString &phase, int n, auto &&f) {
        const bool drawn = probe.frame(f);
        if (drawn)
            frameTrace.row(runNumber, phase, n, probe);
        return drawn;
    };
    if (!probe.frame([] {})) {
        QTextStream(stderr) << "inkroom-canvas-bench: no frame was rendered (is there an X display with OpenGL?)\n";
        return 1;
    }
    QString renderer = u"unknown"_s;
    if (auto *context = static_cast<QOpenGLContext *>(
            window.rendererInterface()->getResource(&window, QSGRendererInterface::OpenGLContextResource))) {
        if (context->makeCurrent(&window)) {
            renderer =
                QString::fromLatin1(reinterpret_cast<const char *>(context->functions()->glGetString(GL_RENDERER)));
        }
    }
    out() << "inkroom-canvas-bench: OpenGL renderer " << renderer << ", render loop " << qgetenv("QSG_RENDER_LOOP")
          << ", window 1280x800, "
          << (window.format().samples() > 1 ? u"%1x multisampling"_s.arg(window.format().samples())
                                            : u"no multisampling"_s)
          << (isSmoke ? ", SMOKE (tiny sizes, not a measurement)" : "") << Qt::endl;

    QJsonArray results;
    const auto board = [&](int count) {
        const QList<proto::Item> items = makeBoard(count, pointsPerStroke);
        QElapsedTimer load;
        load.start();
        session->board()->resetConfirmed(quint64(count), items);
        const double resetMs = double(load.nsecsElapsed()) / 1e6;
        probe.frame([] {});
        const double firstFrameMs = probe.total();
        // Tiles are painted on worker threads while frames go on: the board is complete once they are all in.
        canvas->zoomToFit();
        QElapsedTimer complete;
        complete.start();
        int meanwhile = 0;
        while (!canvas->isComplete() && complete.elapsed() < 60000) {
            traced(u"load-%1"_s.arg(count), meanwhile, [] {});
            ++meanwhile;
        }
        const double completeMs = double(complete.nsecsElapsed()) / 1e6;
        // The client's memory with this board open and all of it painted: the board, its tiles, the scene graph.
        const bench::ProcSample memory = bench::sampleProcess(QCoreApplication::applicationPid());
        out() << "board of " << count << " strokes x " << pointsPerStroke << " points: reset " << resetMs
              << " ms, first frame " << firstFrameMs << " ms; all in view and complete after " << completeMs << " ms ("
              << meanwhile << " frames meanwhile); RSS " << double(memory.rssKb) / 1024 << " MB (peak "
              << double(memory.hwmKb) / 1024 << " MB)" << Qt::endl;
        results.append(QJsonObject {{u"name"_s, u"load-%1"_s.arg(count)},
                                    {u"reset_ms"_s, resetMs},
                                    {u"first_frame_ms"_s, firstFrameMs},
                                    {u"complete_ms"_s, completeMs},
                                    {u"rss_mb"_s, double(memory.rssKb) / 1024},
                                    {u"peak_rss_mb"_s, double(memory.hwmKb) / 1024}});
    };

    // The cost of one more point in the stroke being drawn, on a board of count strokes: frames that only add a
    // point, against frames that change nothing.
    const auto pointCost = [&](int count) {
        canvas->zoomToFit();
        // Idle means nothing left to do: the tiles of this view are painted first.
        QElapsedTimer painting;
        painting.start();
        while (!canvas->isComplete() && painting.elapsed() < 60000)
            probe.frame([] {});
        Series idle;
        for (int i = 0; !enough(i, idle); ++i) {
            traced(u"idle-%1"_s.arg(count), i, [] {});
            idle.add(probe);
        }
        const QString id =
            session->beginStroke(client::BoardDocument::Stroke, QColor(0x1e, 0x88, 0xe5), 3, QPointF(0, 0));
        probe.frame([] {});
        Series adding;
        for (int i = 0; !enough(i, adding); ++i) {
            traced(u"point-%1"_s.arg(count), i,
                   [&] { session->extendStroke(QPointF(i * 2.0, std::sin(i / 10.0) * 100)); });
            adding.add(probe);
        }
        session->cancelStroke();
        probe.frame([] {});
        QJsonObject a = summarise(u"idle frame, %1 strokes"_s.arg(count), idle);
        QJsonObject b = summarise(u"one more point, %1 strokes"_s.arg(count), adding);
        b.insert(u"added_p50_ms"_s, b.value(u"frame_p50_ms"_s).toDouble() - a.value(u"frame_p50_ms"_s).toDouble());
        out() << "  one point costs " << QString::number(b.value(u"added_p50_ms"_s).toDouble(), 'f', 3)
              << " ms of frame (p50 with a point - p50 idle); adding it " << b.value(u"change_p50_ms"_s).toDouble()
              << " ms" << Qt::endl;
        results.append(a);
        results.append(b);
        Q_UNUSED(id);
    };

    // Pan and zoom with the whole board in view (the worst case: nothing is off screen) and at 1:1.
    const auto panZoom = [&](int count) {
        canvas->zoomToFit();
        probe.frame([] {});
        Series fit;
        for (int i = 0; !enough(i, fit); ++i) {
            traced(u"fit-%1"_s.arg(count), i, [&] {
                if (i % 2)
                    canvas->panBy(6 * std::cos(i / 15.0), 6 * std::sin(i / 15.0));
                else
                    canvas->zoomAt(i % 4 == 0 ? 1.02 : 1 / 1.02, QPointF(640, 400));
            });
            fit.add(probe);
        }
        results.append(summarise(u"pan+zoom, all in view, %1"_s.arg(count), fit));
        canvas->resetView();
        probe.frame([] {});
        Series close;
        for (int i = 0; !enough(i, close); ++i) {
            traced(u"1to1-%1"_s.arg(count), i, [&] {
                if (i % 2)
                    canvas->panBy(12 * std::cos(i / 15.0), 12 * std::sin(i / 15.0));
                else
                    canvas->zoomAt(i % 4 == 0 ? 1.03 : 1 / 1.03, QPointF(640, 400));
            });
            close.add(probe);
            if (parser.isSet(grab) && runNumber == 1 && QList<int> {0, 1, 2, 5, 10, 20, 40, 80, 160, 239}.contains(i))
                window.grabWindow().save(u"%1/1to1-%2.png"_s.arg(parser.value(grab)).arg(i, 3, 10, QChar(u'0')));
        }
        results.append(summarise(u"pan+zoom, 1:1, %1"_s.arg(count), close));
    };

    const int repeats = std::max(1, parser.value(repeat).toInt());
    QList<QJsonArray> runs;
    QStringList loads;
    for (int r = 1; r <= repeats; ++r) {
        runNumber = r;
        loads.append(bench::loadAverage());
        out() << "== run " << r << " of " << repeats << " (load " << loads.constLast() << ")" << Qt::endl;
        results = {};
        board(10);
        pointCost(10);
        board(bigStrokes);
        panZoom(bigStrokes);
        pointCost(bigStrokes);
        runs.append(results);
    }
    // Medians over the runs, measurement by measurement.
    results = {};
    for (qsizetype i = 0; i < runs.constFirst().size(); ++i) {
        QJsonObject merged = runs.constFirst().at(i).toObject();
        for (const QString &key : merged.keys()) {
            if (!merged.value(key).isDouble())
                continue;
            QList<double> values;
            for (const QJsonArray &run : std::as_const(runs))
                values.append(run.at(i).toObject().value(key).toDouble());
            merged.insert(key, percentile(values, 0.5));
        }
        results.append(merged);
    }
    {
        out() << "== medians of " << repeats << " runs (load " << loads.join(u" / "_s) << ")" << Qt::endl;
        for (const QJsonValue &value : std::as_const(results)) {
            const QJsonObject o = value.toObject();
            out() << "  " << o.value(u"name"_s).toString() << ":";
            for (const QString &key : o.keys()) {
                if (o.value(key).isDouble() && key != "frames"_L1)
                    out() << ' ' << key << '=' << QString::number(o.value(key).toDouble(), 'f', 3);
            }
            out() << Qt::endl;
        }
    }

    if (parser.isSet(json)) {
        QFile file(parser.value(json));
        if (file.open(QIODevice::WriteOnly | QIODevice::Truncate))
            file.write(QJsonDocument(QJsonObject {{u"strokes"_s, bigStrokes},
                                                  {u"points"_s, pointsPerStroke},
                                                  {u"frames"_s, frameCount},
                                                  {u"smoke"_s, isSmoke},
                                                  {u"loads"_s, QJsonArray::fromStringList(loads)},
                                                  {u"results"_s, results}})
                           .toJson());
    }
    return 0;
}
