import QtQuick
import QtQuick.Controls

// The main action of a card (Host, Join): filled with the highlight colour, as desktop apps mark their default button;
// keyboard focus is a ring around it. Return and Enter press it, as Space does.
ActionButton {
    id: control

    highlighted: true
    leftPadding: 20
    rightPadding: 20
    topPadding: 8
    bottomPadding: 8

    contentItem: Label {
        text: control.text
        textFormat: Text.PlainText
        font.weight: Font.DemiBold
        horizontalAlignment: Text.AlignHCenter
        verticalAlignment: Text.AlignVCenter
        elide: Text.ElideRight
        color: control.enabled ? control.palette.highlightedText : Qt.alpha(control.palette.windowText, 0.45)
    }

    background: Rectangle {
        implicitWidth: 100
        implicitHeight: 36
        radius: 8
        color: !control.enabled ? Qt.alpha(control.palette.windowText, 0.08)
             : control.down ? Qt.darker(control.palette.highlight, 1.2)
             : control.hovered ? Qt.lighter(control.palette.highlight, 1.1) : control.palette.highlight
        Rectangle {
            // keyboard focus
            anchors.fill: parent
            anchors.margins: -4
            radius: 11
            color: "transparent"
            border.width: 2
            border.color: control.palette.highlight
            visible: control.visualFocus
        }
    }
}
