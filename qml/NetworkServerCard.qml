pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

// One server found on this network, with its open rooms: a room is joined with one click (a password first, when
// it needs one). join(room, password) is the page's verb.
Frame {
    id: card

    required property string name
    required property string address
    required property bool secure
    required property bool tokenNeeded
    required property bool roomsKnown
    required property var rooms
    required property string problem

    //! Ask the page to join room on this server.
    signal joinRequested(string room, string password)

    //! The room whose password is being asked for ("" when none).
    property string passwordRoom: ""

    Layout.fillWidth: true
    padding: 10

    ColumnLayout {
        anchors.fill: parent
        spacing: 6

        RowLayout {
            Layout.fillWidth: true
            Label {
                text: card.name
                font.weight: Font.DemiBold
                textFormat: Text.PlainText
                elide: Text.ElideRight
                Layout.fillWidth: true
            }
            Label {
                text: card.address
                textFormat: Text.PlainText
                opacity: 0.6
                font.pixelSize: 12
            }
        }

        Label {
            visible: card.tokenNeeded
            text: qsTr("Needs a join token: ask whoever runs it for its link.")
            opacity: 0.7
            wrapMode: Text.WordWrap
            Layout.fillWidth: true
        }
        Label {
            visible: !card.tokenNeeded && card.problem.length > 0
            text: qsTr("Its rooms cannot be listed: %1").arg(card.problem)
            textFormat: Text.PlainText
            opacity: 0.7
            wrapMode: Text.WordWrap
            Layout.fillWidth: true
        }
        Label {
            visible: !card.tokenNeeded && !card.roomsKnown && card.problem.length === 0
            text: qsTr("Asking for its rooms…")
            opacity: 0.6
        }

        Repeater {
            model: card.tokenNeeded ? [] : card.rooms
            delegate: Button {
                id: roomButton
                required property var modelData
                Layout.fillWidth: true
                flat: true
                contentItem: Label {
                    text: roomButton.modelData.name + "  ·  "
                          + qsTr("%n person(s)", "", roomButton.modelData.members)
                          + (roomButton.modelData.password ? "  ·  " + qsTr("needs a password") : "")
                    textFormat: Text.PlainText
                    elide: Text.ElideRight
                    horizontalAlignment: Text.AlignLeft
                }
                onClicked: {
                    if (roomButton.modelData.password)
                        card.passwordRoom = roomButton.modelData.name
                    else
                        card.joinRequested(roomButton.modelData.name, "")
                }
                Accessible.name: qsTr("Join %1 on %2").arg(roomButton.modelData.name).arg(card.name)
            }
        }

        Label {
            visible: !card.tokenNeeded && card.roomsKnown && card.rooms.length === 0
            text: qsTr("No open rooms yet. Start one here:")
            opacity: 0.7
        }
        RowLayout {
            visible: !card.tokenNeeded && card.roomsKnown && card.rooms.length === 0
            Layout.fillWidth: true
            TextField {
                id: newRoomField
                Layout.fillWidth: true
                maximumLength: 64
                placeholderText: qsTr("Room name")
                onAccepted: if (text.trim().length > 0) card.joinRequested(text.trim(), "")
                Accessible.name: qsTr("Name of a new room on %1").arg(card.name)
            }
            Button {
                text: qsTr("Join")
                enabled: newRoomField.text.trim().length > 0
                onClicked: card.joinRequested(newRoomField.text.trim(), "")
            }
        }

        RowLayout {
            visible: card.passwordRoom.length > 0
            Layout.fillWidth: true
            Label {
                text: qsTr("“%1” needs a password:").arg(card.passwordRoom)
                textFormat: Text.PlainText
            }
            TextField {
                id: roomPasswordField
                Layout.fillWidth: true
                echoMode: TextInput.Password
                focus: card.passwordRoom.length > 0
                onAccepted: card.joinRequested(card.passwordRoom, text)
                Accessible.name: qsTr("Password of %1").arg(card.passwordRoom)
            }
            Button {
                text: qsTr("Join")
                highlighted: true
                enabled: roomPasswordField.text.length > 0
                onClicked: card.joinRequested(card.passwordRoom, roomPasswordField.text)
            }
            ToolButton {
                text: "✕"
                onClicked: {
                    card.passwordRoom = ""
                    roomPasswordField.clear()
                }
                Accessible.name: qsTr("Cancel")
            }
        }
    }
}
