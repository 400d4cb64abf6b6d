import QtQuick
import QtQuick.Controls

// A round colour button for the palettes.
AbstractButton {
    id: control

    property color swatch
    property bool selected: false

    implicitWidth: 26
    implicitHeight: 26
    focusPolicy: Qt.TabFocus
    Accessible.name: qsTr("Colour %1").arg(swatch)

    background: Rectangle {
        radius: width / 2
        color: control.swatch
        border.width: control.selected || control.visualFocus ? 3 : 1
        border.color: control.selected || control.visualFocus ? control.palette.highlight : Qt.darker(control.swatch, 1.4)
    }
}
