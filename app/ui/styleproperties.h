#pragma once

#include "canvasitem.h"
#include "protocol.h"

#include <QColor>
#include <QObject>
#include <QPointer>
#include <QVariantList>

#include <QtQmlIntegration/qqmlintegration.h>
#include <functional>

namespace inkroom::ui {

/** @brief What the properties panel shows and sets: the style of the selection, or of what the current tool draws.
 *
 * With items selected, each property shows their value, or mixed when they differ, and setting one changes every
 * selected item it applies to in one change (one step of undo, sent to the room like any edit), and becomes the
 * tool's default too. With nothing selected it shows and sets the style the current tool draws with. has* says
 * whether a property applies at all (a fill to boxes and ellipses, arrow heads to lines and arrows, a font size to
 * text); the panel hides the others.
 */
class StyleProperties : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(inkroom::ui::CanvasItem *canvas READ canvas WRITE setCanvas NOTIFY canvasChanged)
    //! Showing the selection's style (true) or the tool's (false).
    Q_PROPERTY(bool forSelection READ forSelection NOTIFY changed)
    //! Anything to show: a selection, or a tool that draws.
    Q_PROPERTY(bool active READ active NOTIFY changed)
    Q_PROPERTY(bool hasStrokeColour READ hasStrokeColour NOTIFY changed)
    Q_PROPERTY(QColor strokeColour READ strokeColour NOTIFY changed)
    Q_PROPERTY(bool strokeColourMixed READ strokeColourMixed NOTIFY changed)
    Q_PROPERTY(bool hasFill READ hasFill NOTIFY changed)
    //! Invalid: no fill.
    Q_PROPERTY(QColor fill READ fill NOTIFY changed)
    Q_PROPERTY(bool fillMixed READ fillMixed NOTIFY changed)
    //! There is a fill (fill is valid).
    Q_PROPERTY(bool filled READ filled NOTIFY changed)
    Q_PROPERTY(bool hasStrokeWidth READ hasStrokeWidth NOTIFY changed)
    Q_PROPERTY(qreal strokeWidth READ strokeWidth NOTIFY changed)
    Q_PROPERTY(bool strokeWidthMixed READ strokeWidthMixed NOTIFY changed)
    Q_PROPERTY(bool hasOpacity READ hasOpacity NOTIFY changed)
    Q_PROPERTY(qreal opacity READ opacity NOTIFY changed)
    Q_PROPERTY(bool opacityMixed READ opacityMixed NOTIFY changed)
    Q_PROPERTY(bool hasDash READ hasDash NOTIFY changed)
    Q_PROPERTY(Dash dash READ dash NOTIFY changed)
    Q_PROPERTY(bool dashMixed READ dashMixed NOTIFY changed)
    Q_PROPERTY(bool hasHeads READ hasHeads NOTIFY changed)
    Q_PROPERTY(Heads heads READ heads NOTIFY changed)
    Q_PROPERTY(bool headsMixed READ headsMixed NOTIFY changed)
    Q_PROPERTY(bool hasFontSize READ hasFontSize NOTIFY changed)
    Q_PROPERTY(qreal fontSize READ fontSize NOTIFY changed)
    Q_PROPERTY(bool fontSizeMixed READ fontSizeMixed NOTIFY changed)
    //! The choices the panel offers, each {value, name} (colours, widths and font sizes; names for tooltips).
    Q_PROPERTY(QVariantList strokeSwatches READ strokeSwatches CONSTANT)
    Q_PROPERTY(QVariantList fillSwatches READ fillSwatches CONSTANT)
    Q_PROPERTY(QVariantList strokeWidths READ strokeWidths CONSTANT)
    Q_PROPERTY(QVariantList fontSizes READ fontSizes CONSTANT)

public:
    enum Dash {
        Solid = int(proto::Dash::Solid),
        Dashed = int(proto::Dash::Dashed),
        Dotted = int(proto::Dash::Dotted)
    };
    Q_ENUM(Dash)
    enum Heads {
        NoHeads = int(proto::Heads::None),
        StartHead = int(proto::Heads::Start),
        EndHead = int(proto::Heads::End),
        BothHeads = int(proto::Heads::Both)
    };
    Q_ENUM(Heads)

    explicit StyleProperties(QObject *parent = nullptr);

    [[nodiscard]] CanvasItem *canvas() const { return m_canvas; }
    void setCanvas(CanvasItem *canvas);

    [[nodiscard]] bool forSelection() const { return m_forSelection; }
    [[nodiscard]] bool active() const { return m_forSelection || m_has.colour || m_has.opacity; }
    [[nodiscard]] bool hasStrokeColour() const { return m_has.colour; }
    [[nodiscard]] QColor strokeColour() const { return m_strokeColour; }
    [[nodiscard]] bool strokeColourMixed() const { return m_mixed.colour; }
    [[nodiscard]] bool hasFill() const { return m_has.fill; }
    [[nodiscard]] QColor fill() const { return m_fill; }
    [[nodiscard]] bool fillMixed() const { return m_mixed.fill; }
    [[nodiscard]] bool filled() const { return m_fill.isValid(); }
    [[nodiscard]] bool hasStrokeWidth() const { return m_has.width; }
    [[nodiscard]] qreal strokeWidth() const { return m_strokeWidth; }
    [[nodiscard]] bool strokeWidthMixed() const { return m_mixed.width; }
    [[nodiscard]] bool hasOpacity() const { return m_has.opacity; }
    [[nodiscard]] qreal opacity() const { return m_opacity; }
    [[nodiscard]] bool opacityMixed() const { return m_mixed.opacity; }
    [[nodiscard]] bool hasDash() const { return m_has.dash; }
    [[nodiscard]] Dash dash() const { return m_dash; }
    [[nodiscard]] bool dashMixed() const { return m_mixed.dash; }
    [[nodiscard]] bool hasHeads() const { return m_has.heads; }
    [[nodiscard]] Heads heads() const { return m_heads; }
    [[nodiscard]] bool headsMixed() const { return m_mixed.heads; }
    [[nodiscard]] bool hasFontSize() const { return m_has.fontSize; }
    [[nodiscard]] qreal fontSize() const { return m_fontSize; }
    [[nodiscard]] bool fontSizeMixed() const { return m_mixed.fontSize; }

    [[nodiscard]] static QVariantList strokeSwatches();
    [[nodiscard]] static QVariantList fillSwatches();
    [[nodiscard]] static QVariantList strokeWidths();
    [[nodiscard]] static QVariantList fontSizes();

    //! Set a property of the selection (one change, one step of undo) and of the tool. False: nothing changed.
    Q_INVOKABLE bool setStrokeColour(const QColor &colour);
    //! An invalid colour: no fill.
    Q_INVOKABLE bool setFill(const QColor &fill);
    Q_INVOKABLE bool clearFill() { return setFill(QColor()); }
    Q_INVOKABLE bool setStrokeWidth(qreal width);
    Q_INVOKABLE bool setOpacity(qreal opacity);
    Q_INVOKABLE bool setDash(inkroom::ui::StyleProperties::Dash dash);
    Q_INVOKABLE bool setHeads(inkroom::ui::StyleProperties::Heads heads);
    Q_INVOKABLE bool setFontSize(qreal size);

Q_SIGNALS:
    void canvasChanged();
    void changed();

private:
    //! Which properties apply; which differ among the selected items.
    struct Flags
    {
        bool colour = false;
        bool fill = false;
        bool width = false;
        bool opacity = false;
        bool dash = false;
        bool heads = false;
        bool fontSize = false;
    };
    void refresh();
    //! Change every selected item that edit changes (edit returns false for those it leaves alone), as one change.
    bool editSelection(const std::function<bool(proto::Item &)> &edit);

    QPointer<CanvasItem> m_canvas;
    QMetaObject::Connection m_boardConnection;
    bool m_forSelection = false;
    Flags m_has;
    Flags m_mixed;
    QColor m_strokeColour;
    QColor m_fill;
    qreal m_strokeWidth = 0;
    qreal m_opacity = 1;
    Dash m_dash = Solid;
    Heads m_heads = NoHeads;
    qreal m_fontSize = 0;
};

} // namespace inkroom::ui
