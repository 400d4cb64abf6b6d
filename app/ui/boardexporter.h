#pragma once

#include "canvasitem.h"
#include "protocol.h"
#include "replaymodel.h"

#include <QObject>
#include <QPointer>
#include <QThreadPool>
#include <QUrl>
#include <QtQmlIntegration/qqmlintegration.h>

namespace inkroom::ui {

/** @brief The app's export verbs: the board (or the selection) to a PNG, SVG or PDF file, or to the clipboard.
 *
 * Painting and writing run on a worker thread (app/render's writers, on a copy of the items), so a large board
 * never holds up the window; `busy` is true meanwhile and `finished` says how it went, in words for people.
 */
class BoardExporter : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(inkroom::ui::CanvasItem *canvas READ canvas WRITE setCanvas NOTIFY canvasChanged)
    Q_PROPERTY(bool busy READ busy NOTIFY busyChanged)
    //! When set, exports show the replay's moment instead of the canvas's board ("Export this moment").
    Q_PROPERTY(inkroom::client::ReplayModel *replay READ replay WRITE setReplay NOTIFY replayChanged)

public:
    enum Format {
        Png,
        Svg,
        Pdf
    };
    Q_ENUM(Format)
    //! PDF pages: one that fits the board, or the board tiled across pages of a paper size.
    enum Paper {
        FittedPage,
        A4,
        A3,
        Letter
    };
    Q_ENUM(Paper)

    explicit BoardExporter(QObject *parent = nullptr);
    ~BoardExporter() override;

    [[nodiscard]] CanvasItem *canvas() const { return m_canvas; }
    void setCanvas(CanvasItem *canvas);
    [[nodiscard]] bool busy() const { return m_busy; }
    [[nodiscard]] client::ReplayModel *replay() const { return m_replay; }
    void setReplay(client::ReplayModel *replay);

    /** Write the board (or the selection) to the file at path (given the format's extension when it has none).
     *  scale: PNG pixels per board unit, or the PDF pages' print scale. Returns false when it cannot start (busy,
     *  nothing selected, no path). */
    Q_INVOKABLE bool exportTo(const QString &path, inkroom::ui::BoardExporter::Format format, double scale,
                              inkroom::ui::BoardExporter::Paper paper, bool landscape, bool selectionOnly);
    //! A file name to offer: "<room> <date>.<ext>" in the user's documents folder (or home).
    Q_INVOKABLE [[nodiscard]] static QString suggestedPath(const QString &room,
                                                           inkroom::ui::BoardExporter::Format format);
    //! path with its extension replaced by the format's.
    Q_INVOKABLE [[nodiscard]] static QString withFormat(const QString &path, inkroom::ui::BoardExporter::Format format);
    Q_INVOKABLE [[nodiscard]] static bool fileExists(const QString &path);
    //! Put a picture of the board (or the selection) on the clipboard, at scale pixels per unit.
    Q_INVOKABLE bool copyImage(bool selectionOnly, double scale = 2);
    //! How many PDF pages exportTo would write.
    Q_INVOKABLE int pageCount(inkroom::ui::BoardExporter::Paper paper, bool landscape, double scale,
                              bool selectionOnly) const;

Q_SIGNALS:
    void canvasChanged();
    void busyChanged();
    void replayChanged();
    //! An export or copy ended; message is for people ("Saved board.pdf", "Cannot write ...").
    void finished(bool ok, const QString &message);

private:
    [[nodiscard]] QList<proto::Item> items(bool selectionOnly) const;
    void setBusy(bool busy);

    QPointer<CanvasItem> m_canvas;
    QPointer<client::ReplayModel> m_replay;
    bool m_busy = false;
    QThreadPool m_pool; //!< one worker; waited for on destruction, so a job never outlives this object
};

} // namespace inkroom::ui
