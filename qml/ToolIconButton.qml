import QtQuick
import QtQuick.Controls

// A square icon button of the tool bar and the properties panel: the desktop's icon for iconName where its theme has
// one, the app's own (qrc:/icons/tools/<fallback>.svg) otherwise, tinted by the style so it reads in light and dark.
// Checked, it sits on the selection colour. The tooltip names it and its keys.
ToolButton {
    id: control

    property string label
    property string iconName
    property string fallback
    //! The keys that choose it, in words ("R or 2"); none: the tooltip only names it.
    property string keys

    implicitWidth: 34
    implicitHeight: 34
    padding: 5
    display: AbstractButton.IconOnly
    text: label
    icon.name: iconName
    icon.source: fallback ? "qrc:/icons/tools/" + fallback + ".svg" : ""
    icon.width: 22
    icon.height: 22
    icon.color: checked ? palette.highlightedText : palette.buttonText
    // Clicking keeps the keyboard focus where it was (the board's keys keep working); Tab still reaches it.
    focusPolicy: Qt.TabFocus
    Accessible.name: label
    Accessible.description: keys ? qsTr("Keys: %1").arg(keys) : ""
    //! What its tooltip says (tests read it: attached properties are not reachable from outside).
    readonly property string toolTipText: ToolTip.text
    ToolTip.visible: hovered
    ToolTip.delay: 400
    ToolTip.text: keys ? qsTr("%1 — %2").arg(label).arg(keys) : label

    background: Rectangle {
        radius: 6
        color: control.checked ? control.palette.highlight
             : control.down ? control.palette.mid
             : control.hovered ? Qt.rgba(control.palette.highlight.r, control.palette.highlight.g,
                                         control.palette.highlight.b, 0.15)
             : "transparent"
        border.width: control.visualFocus ? 2 : 0
        border.color: control.checked ? control.palette.highlightedText : control.palette.highlight
    }
}
