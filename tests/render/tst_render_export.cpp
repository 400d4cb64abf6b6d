#include "boardexport.h"
#include "itempainter.h"
#include "textlayout.h"

#include <QDir>
#include <QFile>
#include <QGuiApplication>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QXmlStreamReader>

using namespace Qt::StringLiterals;
using namespace inkroom;
using namespace inkroom::render;
using proto::Item;
using proto::ItemKind;

namespace {

Item item(const QString &id, ItemKind kind, proto::Colour colour, double width, QList<QPointF> points, qint64 z)
{
    Item i;
    i.id = id;
    i.kind = kind;
    i.colour = colour;
    i.width = width;
    i.points = std::move(points);
    i.z = z;
    return i;
}

//! A board with every kind of paint: a red stroke, a filled rectangle, green text over them, a translucent marker.
QList<Item> sampleBoard()
{
    QList<Item> items;
    items << item(u"a:1"_s, ItemKind::Stroke, 0xffd02020, 6, {{0, 0}, {120, 60}, {240, 0}}, 1);
    Item rect = item(u"a:2"_s, ItemKind::Rect, 0xff202020, 3, {{40, 80}, {200, 160}}, 2);
    rect.fill = 0xff2040d0;
    items << rect;
    Item text = item(u"a:3"_s, ItemKind::Text, 0xff10a010, 28, {{60, 100}}, 3);
    text.text = u"Hello\nboard"_s;
    items << text;
    items << item(u"a:4"_s, ItemKind::Stroke, 0x59ffd020, 16, {{250, 20}, {330, 100}, {330, 20}, {250, 100}}, 4);
    return items;
}

//! Every style: a dashed and a dotted line, a dashed arrow with heads at both ends, a half-opaque filled box, a pen
//! stroke whose width grows along it.
QList<Item> styledBoard()
{
    QList<Item> items;
    Item dashed = item(u"s:1"_s, ItemKind::Line, 0xff202020, 4, {{0, 0}, {300, 0}}, 1);
    dashed.dash = proto::Dash::Dashed;
    items << dashed;
    Item dotted = item(u"s:2"_s, ItemKind::Line, 0xff202020, 4, {{0, 30}, {300, 30}}, 2);
    dotted.dash = proto::Dash::Dotted;
    items << dotted;
    Item arrow = item(u"s:3"_s, ItemKind::Arrow, 0xff2040d0, 3, {{20, 80}, {280, 80}}, 3);
    arrow.heads = proto::Heads::Both;
    items << arrow;
    Item box = item(u"s:4"_s, ItemKind::Rect, 0xff000000, 2, {{0, 120}, {140, 200}}, 4);
    box.fill = 0xff000000;
    box.opacity = 0.5;
    items << box;
    Item pen = item(u"s:5"_s, ItemKind::Stroke, 0xffd02020, 16, {}, 5);
    for (int i = 0; i <= 20; ++i) {
        pen.points.append(QPointF(160 + i * 7, 160));
        pen.widths.append(1 + i * 0.75);
    }
    items << pen;
    return items;
}

//! Share of pixels whose colours differ by more than `far` in any channel, and the mean difference.
std::pair<double, double> difference(const QImage &a, const QImage &b, int far = 64)
{
    const int w = std::min(a.width(), b.width());
    const int h = std::min(a.height(), b.height());
    qint64 farCount = 0;
    double sum = 0;
    for (int y = 0; y < h; ++y) {
        for (int x = 0; x < w; ++x) {
            const QColor p = a.pixelColor(x, y);
            const QColor q = b.pixelColor(x, y);
            const int d =
                std::max({std::abs(p.red() - q.red()), std::abs(p.green() - q.green()), std::abs(p.blue() - q.blue())});
            farCount += d > far ? 1 : 0;
            sum += d;
        }
    }
    return {double(farCount) / (double(w) * h), sum / (double(w) * h)};
}

} // namespace

class TestExport : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

    [[nodiscard]] QString path(const QString &name) const { return m_dir.filePath(name); }

    //! Export items to name, which must work.
    void write(const QList<Item> &items, const QString &name, exporting::Options options = {})
    {
        options.format = *exporting::formatForPath(name);
        const QString error = exporting::exportItems(items, path(name), options);
        QVERIFY2(error.isEmpty(), qPrintable(error));
    }

private Q_SLOTS:
    void formatComesFromTheExtension()
    {
        QCOMPARE(exporting::formatForPath(u"a/board.png"_s), exporting::Format::Png);
        QCOMPARE(exporting::formatForPath(u"BOARD.PDF"_s), exporting::Format::Pdf);
        QCOMPARE(exporting::formatForPath(u"x.svg"_s), exporting::Format::Svg);
        QVERIFY(!exporting::formatForPath(u"board.jpeg.txt"_s));
        QVERIFY(!exporting::formatForPath(u"board"_s));
    }

    void pngHasTheBoardAtTheChosenScale()
    {
        const QList<Item> items = sampleBoard();
        const QRectF area = exporting::exportArea(items, 24);
        for (const double scale : {1.0, 2.0}) {
            exporting::Options options;
            options.scale = scale;
            write(items, u"board.png"_s, options);
            QImage image(path(u"board.png"_s));
            QCOMPARE(image.size(), (area.size() * scale).toSize());
            const auto at = [&](QPointF board) {
                return image.pixelColor(((board - area.topLeft()) * scale).toPoint());
            };
            QCOMPARE(at({120, 60}), QColor(0xd0, 0x20, 0x20)); // the stroke
            QCOMPARE(at({190, 150}), QColor(0x20, 0x40, 0xd0)); // the rectangle's fill
            QCOMPARE(at(area.topLeft() + QPointF(2, 2)), QColor(Qt::white)); // the margin
        }
    }

    //! The highlighter is painted once where it crosses itself, in exports as on the canvas.
    void pngHighlighterCrossingIsNotDarker()
    {
        const QList<Item> items = sampleBoard();
        const QImage image = exporting::renderImage(items, 1);
        const QPointF origin = exporting::exportArea(items, 24).topLeft();
        QCOMPARE(image.pixelColor((QPointF(290, 60) - origin).toPoint()),
                 image.pixelColor((QPointF(270, 40) - origin).toPoint()));
    }

    void svgHasPathsAndTextInTheirColours()
    {
        write(sampleBoard(), u"board.svg"_s);
        QFile file(path(u"board.svg"_s));
        QVERIFY(file.open(QIODevice::ReadOnly));
        QXmlStreamReader xml(&file);
        QStringList pathStrokes;
        QStringList fills;
        QString text;
        QStringList textFills;
        bool inText = false;
        // QSvgGenerator puts a path's paint on the group around it: each element inherits from its ancestors.
        QList<std::pair<QString, QString>> inherited {{u"none"_s, u"none"_s}};
        while (!xml.atEnd()) {
            xml.readNext();
            if (xml.isStartElement()) {
                const auto attributes = xml.attributes();
                auto paint = inherited.last();
                if (attributes.hasAttribute("stroke"_L1))
                    paint.first = attributes.value("stroke"_L1).toString();
                if (attributes.hasAttribute("fill"_L1))
                    paint.second = attributes.value("fill"_L1).toString();
                inherited.append(paint);
                if (xml.name() == "path"_L1) {
                    pathStrokes << paint.first;
                    fills << paint.second;
                } else if (xml.name() == "text"_L1) {
                    inText = true;
                    textFills << attributes.value("fill"_L1).toString();
                    QCOMPARE(attributes.value("font-family"_L1).toString(), textFontFamily());
                }
            } else if (xml.isEndElement()) {
                inherited.removeLast();
                if (xml.name() == "text"_L1) {
                    inText = false;
                    text += u'|';
                }
            } else if (xml.isCharacters() && inText) {
                text += xml.text();
            }
        }
        QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
        QVERIFY2(pathStrokes.contains(u"#d02020"_s), qPrintable(pathStrokes.join(u' ')));
        QVERIFY2(pathStrokes.contains(u"#ffd020"_s), qPrintable(pathStrokes.join(u' ')));
        QVERIFY2(fills.contains(u"#2040d0"_s), qPrintable(fills.join(u' ')));
        // Text as text, one element per line, in its colour.
        QVERIFY2(text.contains(u"Hello|"_s) && text.contains(u"board|"_s), qPrintable(text));
        QCOMPARE(textFills, QStringList({u"#10a010"_s, u"#10a010"_s}));
    }

    //! The PDF, rendered by poppler, looks like the PNG export.
    void pdfLooksLikeThePng()
    {
        const QString pdftoppm = QStandardPaths::findExecutable(u"pdftoppm"_s);
        if (pdftoppm.isEmpty())
            QFAIL("pdftoppm is missing (Debian: poppler-utils; scripts/dev.sh installs it)");
        const QList<Item> items = sampleBoard();
        write(items, u"board.pdf"_s);
        write(items, u"board.png"_s);
        QFile pdf(path(u"board.pdf"_s));
        QVERIFY(pdf.open(QIODevice::ReadOnly));
        const QByteArray bytes = pdf.readAll();
        QVERIFY(bytes.startsWith("%PDF"));
        QVERIFY(!bytes.contains("/Subtype /Image")); // vector: no picture of the board inside
        QProcess render;
        render.start(pdftoppm,
                     {u"-r"_s, u"96"_s, u"-png"_s, u"-singlefile"_s, path(u"board.pdf"_s), path(u"rendered"_s)});
        QVERIFY(render.waitForFinished(30000));
        QCOMPARE(render.exitCode(), 0);
        const QImage rendered(path(u"rendered.png"_s));
        const QImage png(path(u"board.png"_s));
        QVERIFY(!rendered.isNull());
        QVERIFY2(
            std::abs(rendered.width() - png.width()) <= 1 && std::abs(rendered.height() - png.height()) <= 1,
            qPrintable(
                u"%1x%2 vs %3x%4"_s.arg(rendered.width()).arg(rendered.height()).arg(png.width()).arg(png.height())));
        const auto [far, mean] = difference(rendered, png);
        qInfo("PDF vs PNG: %.2f %% of pixels differ by more than 64, mean difference %.2f", far * 100, mean);
        QVERIFY(far < 0.02);
        QVERIFY(mean < 4);
        // And it can fail: a PNG of another board does not pass.
        QList<Item> other = items;
        other.removeAt(1);
        const auto [otherFar, otherMean] = difference(rendered, exporting::renderImage(other, 1));
        QVERIFY(otherFar > 0.05);
        Q_UNUSED(otherMean);
    }

    //! Dashes have gaps, heads are at the ends asked for, opacity lets the paper through, and a pen's stroke is as
    //! wide at each point as its pressure made it: in the PNG, and the PDF looks the same.
    void stylesAreDrawn()
    {
        const QList<Item> items = styledBoard();
        const QRectF area = exporting::exportArea(items, 24);
        const QImage image = exporting::renderImage(items, 1);
        const auto at = [&](QPointF board) { return image.pixelColor((board - area.topLeft()).toPoint()); };
        const auto darkAlong = [&](double y, double x0, double x1) {
            int dark = 0;
            for (double x = x0; x <= x1; x += 1)
                dark += at({x, y}).lightness() < 128 ? 1 : 0;
            return dark;
        };
        // Solid would be 200 of 200; dashes and dots leave gaps, dots more of them.
        const int dashes = darkAlong(0, 50, 249);
        const int dots = darkAlong(30, 50, 249);
        QVERIFY2(dashes > 60 && dashes < 170, qPrintable(QString::number(dashes)));
        QVERIFY2(dots > 20 && dots < dashes, qPrintable(QString::number(dots)));
        // Both heads: beside each end, off the line, there is arrow; halfway along there is not.
        QVERIFY(at({32, 84}).blue() > 150 && at({32, 84}).red() < 128);
        QVERIFY(at({268, 84}).blue() > 150 && at({268, 84}).red() < 128);
        QCOMPARE(at({150, 84}), QColor(Qt::white));
        // Black at half opacity on white is mid grey.
        const int grey = at({70, 160}).lightness();
        QVERIFY2(grey > 110 && grey < 145, qPrintable(QString::number(grey)));
        // The pen's stroke: thin where it began, wide where it ended.
        const auto thickness = [&](double x) {
            int dark = 0;
            for (double y = 140; y <= 180; y += 1)
                dark += at({x, y}).red() > 150 && at({x, y}).green() < 100 ? 1 : 0;
            return dark;
        };
        QVERIFY2(thickness(170) < 5, qPrintable(QString::number(thickness(170))));
        QVERIFY2(thickness(290) > 12, qPrintable(QString::number(thickness(290))));

        const QString pdftoppm = QStandardPaths::findExecutable(u"pdftoppm"_s);
        if (pdftoppm.isEmpty())
            QFAIL("pdftoppm is missing (Debian: poppler-utils; scripts/dev.sh installs it)");
        write(items, u"styled.pdf"_s);
        write(items, u"styled.png"_s);
        QProcess render;
        render.start(pdftoppm,
                     {u"-r"_s, u"96"_s, u"-png"_s, u"-singlefile"_s, path(u"styled.pdf"_s), path(u"styled-pdf"_s)});
        QVERIFY(render.waitForFinished(30000));
        QCOMPARE(render.exitCode(), 0);
        const auto [far, mean] = difference(QImage(path(u"styled-pdf.png"_s)), QImage(path(u"styled.png"_s)));
        qInfo("styled PDF vs PNG: %.2f %% of pixels differ by more than 64, mean difference %.2f", far * 100, mean);
        QVERIFY(far < 0.03);
        QVERIFY(mean < 6);
    }

    void pdfTilesPagesAtAPaperSize()
    {
        QList<Item> wide;
        wide << item(u"a:1"_s, ItemKind::Line, 0xff000000, 4, {{0, 0}, {3000, 400}}, 1);
        exporting::Options options;
        options.paper = QPageSize(QPageSize::A4);
        options.orientation = QPageLayout::Landscape;
        const int pages = exporting::pageCount(wide, options);
        QCOMPARE(pages, 3); // about 3,070 units across, 1,047 a page; 470 down, 718 a page
        write(wide, u"pages.pdf"_s, options);
        const QString pdfinfo = QStandardPaths::findExecutable(u"pdfinfo"_s);
        if (pdfinfo.isEmpty())
            QFAIL("pdfinfo is missing (Debian: poppler-utils)");
        QProcess info;
        info.start(pdfinfo, {path(u"pages.pdf"_s)});
        QVERIFY(info.waitForFinished(30000));
        const QString out = QString::fromUtf8(info.readAllStandardOutput());
        QVERIFY2(out.contains(QRegularExpression(u"Pages:\\s+3\\n"_s)), qPrintable(out));
        QVERIFY2(out.contains(u"841.8"_s) || out.contains(u"842"_s), qPrintable(out)); // A4 landscape, in points

        // Each page holds its share of the board: the line runs across all three, from the top of the first to the
        // bottom of the last, and a page past its end would be blank.
        const QString pdftoppm = QStandardPaths::findExecutable(u"pdftoppm"_s);
        if (pdftoppm.isEmpty())
            QFAIL("pdftoppm is missing (Debian: poppler-utils)");
        QProcess render;
        render.start(pdftoppm, {u"-r"_s, u"36"_s, u"-png"_s, path(u"pages.pdf"_s), path(u"page"_s)});
        QVERIFY(render.waitForFinished(30000));
        QCOMPARE(render.exitCode(), 0);
        QList<QPoint> firstDark; // per page: the leftmost dark pixel
        for (int page = 1; page <= pages; ++page) {
            const QImage image(path(u"page-%1.png"_s.arg(page)));
            QVERIFY2(!image.isNull(), qPrintable(u"page %1 was not rendered"_s.arg(page)));
            QVERIFY(image.width() > image.height()); // landscape
            int dark = 0;
            QPoint leftmost(image.width(), 0);
            for (int y = 0; y < image.height(); ++y) {
                for (int x = 0; x < image.width(); ++x) {
                    if (image.pixelColor(x, y).lightness() < 100) {
                        ++dark;
                        if (x < leftmost.x())
                            leftmost = QPoint(x, y);
                    }
                }
            }
            QVERIFY2(dark > 50, qPrintable(u"page %1 has %2 dark pixels"_s.arg(page).arg(dark)));
            firstDark.append(leftmost);
        }
        // The line goes down as it goes right: where it enters each page is lower than on the page before.
        QVERIFY2(firstDark[1].y() > firstDark[0].y() && firstDark[2].y() > firstDark[1].y(),
                 qPrintable(u"%1, %2, %3"_s.arg(firstDark[0].y()).arg(firstDark[1].y()).arg(firstDark[2].y())));
    }

    //! A failed export leaves nothing behind and keeps what was there.
    void refusalsLeaveNothingHalfWritten()
    {
        exporting::Options options;
        options.format = exporting::Format::Png;
        QVERIFY(!exporting::exportItems(sampleBoard(), u"/nonexistent-dir/board.png"_s, options).isEmpty());
        QVERIFY(!QFile::exists(u"/nonexistent-dir/board.png"_s));

        QTemporaryDir dir;
        const QString target = dir.filePath(u"board.png"_s);
        QFile old(target);
        QVERIFY(old.open(QIODevice::WriteOnly));
        old.write("old");
        old.close();
        options.scale = 1000; // far past the image limits
        const QString error = exporting::exportItems(sampleBoard(), target, options);
        QVERIFY2(error.contains(u"too large"_s), qPrintable(error));
        QVERIFY(old.open(QIODevice::ReadOnly));
        QCOMPARE(old.readAll(), QByteArray("old"));
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList({u"board.png"_s}));
    }

    void anEmptyBoardExportsABlankPage()
    {
        write({}, u"empty.svg"_s);
        write({}, u"empty.pdf"_s);
        const QImage image = exporting::renderImage({}, 1);
        QVERIFY(!image.isNull());
        QCOMPARE(image.pixelColor(0, 0), QColor(Qt::white));
    }
};

QTEST_MAIN(TestExport)
#include "tst_render_export.moc"
