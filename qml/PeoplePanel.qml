pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Inkroom.Client

// Who is in the room: colour, name, online or away, typing.
ListView {
    id: list

    required property Session session
    clip: true
    model: session.people
    ScrollBar.vertical: ScrollBar {}

    delegate: ItemDelegate {
        id: person
        required property string name
        required property color colour
        required property bool self
        required property string status
        required property bool typing

        width: ListView.view.width
        contentItem: RowLayout {
            spacing: 10
            Rectangle {
                implicitWidth: 12
                implicitHeight: 12
                radius: 6
                color: person.colour
                opacity: person.status === "online" ? 1 : 0.4
            }
            Label {
                Layout.fillWidth: true
                text: person.self ? qsTr("%1 (you)").arg(person.name) : person.name
                textFormat: Text.PlainText
                elide: Text.ElideRight
                opacity: person.status === "online" ? 1 : 0.6
            }
            Label {
                text: person.typing ? qsTr("typing…") : person.status === "online" ? qsTr("online")
                                                     : person.status === "away" ? qsTr("away") : qsTr("offline")
                font.pixelSize: 11
                opacity: 0.6
            }
        }
    }
}
