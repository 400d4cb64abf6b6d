pragma ComponentBehavior: Bound
import QtQuick
import Inkroom.Ui

// The board's text items, drawn by Qt Quick so they stay sharp at every zoom.
Item {
    id: layer

    required property Whiteboard canvas
    property string editingId: ""

    Repeater {
        model: layer.canvas.textItems
        delegate: Item {
            id: textItem
            required property string itemId
            required property string text
            required property real boardX
            required property real boardY
            required property real fontSize
            required property color textColour
            required property bool pending
            required property bool selected
            required property bool lifted

            visible: textItem.itemId !== layer.editingId
            x: layer.canvas.origin.x + (boardX + (lifted ? layer.canvas.liftOffset.x : 0)) * layer.canvas.zoom
            y: layer.canvas.origin.y + (boardY + (lifted ? layer.canvas.liftOffset.y : 0)) * layer.canvas.zoom
            width: label.implicitWidth
            height: label.implicitHeight
            scale: layer.canvas.zoom
            transformOrigin: Item.TopLeft

            Text {
                id: label
                text: textItem.text
                textFormat: Text.PlainText
                color: textItem.textColour
                font.pixelSize: textItem.fontSize
                opacity: textItem.pending ? 0.75 : 1
            }
            Rectangle {
                visible: textItem.selected
                anchors.fill: label
                anchors.margins: -4 / layer.canvas.zoom
                color: "transparent"
                border.color: "#1a73e8"
                border.width: 1.5 / layer.canvas.zoom
            }
        }
    }
}
