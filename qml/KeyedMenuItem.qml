import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

// A menu entry with its keys shown on the right. keys only shows them: the menu bar's action makes them work.
MenuItem {
    id: keyed
    property string keys: action && action.shortcut ? String(action.shortcut) : ""
    contentItem: RowLayout {
        spacing: 24
        Label {
            Layout.fillWidth: true
            leftPadding: keyed.checkable ? keyed.indicator.width + keyed.spacing : 0
            // The menu finds its keyboard letter (&) in the text itself; shown, it is left out.
            text: keyed.text.replace(/&(.)/g, "$1")
            font: keyed.font
            color: keyed.highlighted ? keyed.palette.highlightedText : keyed.palette.windowText
            opacity: keyed.enabled ? 1 : 0.5
        }
        Label {
            visible: keyed.keys.length > 0
            text: keyed.keys
            font: keyed.font
            color: keyed.highlighted ? keyed.palette.highlightedText : keyed.palette.windowText
            opacity: keyed.enabled ? 0.65 : 0.35
        }
    }
}
