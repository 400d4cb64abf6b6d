#include "boardexporter.h"

#include "boardexport.h"
#include "canvasitem.h"

#include <QClipboard>
#include <QDate>
#include <QDir>
#include <QFileInfo>
#include <QGuiApplication>
#include <QStandardPaths>

using namespace Qt::StringLiterals;

namespace inkroom::ui {

namespace exporting = render::exporting;

namespace {

QPageSize pageSize(BoardExporter::Paper paper)
{
    switch (paper) {
    case BoardExporter::FittedPage:
        return {};
    case BoardExporter::A4:
        return QPageSize(QPageSize::A4);
    case BoardExporter::A3:
        return QPageSize(QPageSize::A3);
    case BoardExporter::Letter:
        return QPageSize(QPageSize::Letter);
    }
    return {};
}

exporting::Options options(BoardExporter::Format format, double scale, BoardExporter::Paper paper, bool landscape)
{
    exporting::Options o;
    o.format = format == BoardExporter::Png ? exporting::Format::Png
        : format == BoardExporter::Svg      ? exporting::Format::Svg
                                            : exporting::Format::Pdf;
    o.scale = scale > 0 ? scale : 1;
    o.paper = pageSize(paper);
    o.orientation = landscape ? QPageLayout::Landscape : QPageLayout::Portrait;
    return o;
}

} // namespace

BoardExporter::BoardExporter(QObject *parent)
    : QObject(parent)
{
    m_pool.setMaxThreadCount(1);
}

BoardExporter::~BoardExporter()
{
    m_pool.waitForDone();
}

void BoardExporter::setCanvas(CanvasItem *canvas)
{
    if (m_canvas == canvas)
        return;
    m_canvas = canvas;
    Q_EMIT canvasChanged();
}

void BoardExporter::setBusy(bool busy)
{
    if (m_busy == busy)
        return;
    m_busy = busy;
    Q_EMIT busyChanged();
}

void BoardExporter::setReplay(client::ReplayModel *replay)
{
    if (m_replay == replay)
        return;
    m_replay = replay;
    Q_EMIT replayChanged();
}

QList<proto::Item> BoardExporter::items(bool selectionOnly) const
{
    if (m_replay)
        return m_replay->items();
    return m_canvas ? m_canvas->shownItems(selectionOnly) : QList<proto::Item>();
}

QString BoardExporter::suggestedPath(const QString &room, Format format)
{
    const QString documents = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    const QString folder = QFileInfo(documents).isDir() ? documents : QDir::homePath();
    // A room name may hold anything: keep what is safe in a file name.
    QString name;
    for (const QChar c : room) {
        if (c.isLetterOrNumber() || c == u' ' || c == u'-' || c == u'_')
            name += c;
    }
    name = name.simplified().left(60);
    if (name.isEmpty())
        name = u"board"_s;
    return withFormat(folder + u'/' + name + u' ' + QDate::currentDate().toString(Qt::ISODate), format);
}

QString BoardExporter::withFormat(const QString &path, Format format)
{
    const QString extension = u'.' + exporting::formatName(options(format, 1, FittedPage, false).format).toLower();
    const QFileInfo info(path.trimmed());
    if (info.fileName().isEmpty())
        return path;
    QString base = path.trimmed();
    if (exporting::formatForPath(base))
        base.chop(info.suffix().size() + 1);
    return base + extension;
}

bool BoardExporter::fileExists(const QString &path)
{
    return QFileInfo::exists(path.trimmed());
}

int BoardExporter::pageCount(Paper paper, bool landscape, double scale, bool selectionOnly) const
{
    return exporting::pageCount(items(selectionOnly), options(Pdf, scale, paper, landscape));
}

bool BoardExporter::exportTo(const QString &file, Format format, double scale, Paper paper, bool landscape,
                             bool selectionOnly)
{
    QString path = file.trimmed();
    if (m_busy || path.isEmpty())
        return false;
    QList<proto::Item> shown = items(selectionOnly);
    if (selectionOnly && shown.isEmpty())
        return false;
    const exporting::Options o = options(format, scale, paper, landscape);
    // A name without the format's extension gets it, so the file opens with the right program.
    if (exporting::formatForPath(path) != o.format)
        path += u'.' + exporting::formatName(o.format).toLower();
    setBusy(true);
    m_pool.start([this, shown = std::move(shown), path, o] {
        const QString error = exporting::exportItems(shown, path, o);
        QMetaObject::invokeMethod(this, [this, error, path] {
            setBusy(false);
            Q_EMIT finished(error.isEmpty(), error.isEmpty() ? tr("Saved %1").arg(QFileInfo(path).fileName()) : error);
        });
    });
    return true;
}

bool BoardExporter::copyImage(bool selectionOnly, double scale)
{
    if (m_busy)
        return false;
    QList<proto::Item> shown = items(selectionOnly);
    if (shown.isEmpty())
        return false;
    setBusy(true);
    m_pool.start([this, shown = std::move(shown), scale] {
        const QImage image = exporting::renderImage(shown, scale);
        QMetaObject::invokeMethod(this, [this, image] {
            setBusy(false);
            if (image.isNull()) {
                Q_EMIT finished(false, tr("The board is too large to copy as one picture; export it as a PDF."));
                return;
            }
            QGuiApplication::clipboard()->setImage(image);
            Q_EMIT finished(
                true, tr("Copied a picture of the board (%1 × %2 pixels)").arg(image.width()).arg(image.height()));
        });
    });
    return true;
}

} // namespace inkroom::ui
