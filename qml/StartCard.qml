import QtQuick
import QtQuick.Controls

// A calm surface of the start page: rounded, with a hairline edge; on a dark window a shade lighter than it, on a
// light one the base colour.
Pane {
    id: card

    //! The window is dark (the system's dark palette): the card lifts itself off it instead of sinking in.
    readonly property bool dark: palette.window.hslLightness < 0.5
    //! A keyboard focus ring around the whole card (cards that are buttons set it to their visualFocus).
    property bool focusRing: false
    //! How much of the highlight colour shows through (cards that are buttons raise it while hovered).
    property real tint: 0

    padding: 20

    background: Rectangle {
        radius: 12
        color: Qt.tint(card.dark ? Qt.lighter(card.palette.window, 1.35) : card.palette.base,
                       Qt.alpha(card.palette.highlight, card.tint))
        border.width: card.focusRing ? 2 : 1
        border.color: card.focusRing ? card.palette.highlight : Qt.alpha(card.palette.windowText, card.dark ? 0.16 : 0.12)
    }
}
