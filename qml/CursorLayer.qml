pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import Inkroom.Ui

// Where everybody else's pointer is, with their name in their colour.
Item {
    id: pointers

    required property Whiteboard canvas
    required property var people
    //! A person's pointer was clicked: follow them.
    signal followRequested(string clientId)

    Repeater {
        model: pointers.people
        delegate: Item {
            id: pointer
            required property string clientId
            required property string name
            required property color colour
            required property bool self
            required property point cursor
            required property bool cursorVisible
            required property string status

            visible: !!pointers.canvas && !self && cursorVisible && status === "online"
            x: pointers.canvas ? pointers.canvas.origin.x + pointer.cursor.x * pointers.canvas.zoom : 0
            y: pointers.canvas ? pointers.canvas.origin.y + pointer.cursor.y * pointers.canvas.zoom : 0
            Behavior on x { NumberAnimation { duration: 60 } }
            Behavior on y { NumberAnimation { duration: 60 } }

            // A pointer arrow in the person's colour.
            Canvas2DArrow {
                colour: pointer.colour
            }
            Rectangle {
                objectName: "cursorLabel"
                x: 12
                y: 16
                radius: 4
                color: pointer.colour
                width: nameLabel.implicitWidth + 10
                height: nameLabel.implicitHeight + 4
                Text {
                    id: nameLabel
                    anchors.centerIn: parent
                    text: pointer.name
                    textFormat: Text.PlainText
                    color: "white"
                    font.pixelSize: 11
                    font.weight: Font.DemiBold
                }
                // Click a pointer's name to follow that person.
                TapHandler {
                    // Exclusive from the press: the board underneath starts no gesture.
                    gesturePolicy: TapHandler.ReleaseWithinBounds
                    onTapped: pointers.followRequested(pointer.clientId)
                }
                HoverHandler {
                    id: labelHover
                    cursorShape: Qt.PointingHandCursor
                }
                ToolTip.visible: labelHover.hovered
                ToolTip.delay: 400
                ToolTip.text: qsTr("Follow %1").arg(pointer.name)
            }
        }
    }
}
