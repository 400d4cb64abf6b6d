pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

// One server found on this network, with its open rooms, as a card: each room has its Join button (a password is
// asked for first when it needs one); a server without rooms offers to start one. joinRequested is the page's verb.
StartCard {
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

    padding: 16
    Accessible.role: Accessible.Grouping
    Accessible.name: qsTr("Server %1").arg(card.name)

    ColumnLayout {
        anchors.fill: parent
        spacing: 8

        RowLayout {
            Layout.fillWidth: true
            spacing: 10
            Rectangle {
                // A small screen: a server on the network.
                width: 30
                height: 30
                radius: 8
                color: Qt.alpha(card.palette.highlight, 0.15)
                Rectangle {
                    // a screen on its stand
                    x: 7
                    y: 8
                    width: 16
                    height: 11
                    radius: 2
                    color: "transparent"
                    border.width: 2
                    border.color: card.palette.highlight
                }
                Rectangle {
                    x: 11
                    y: 21
                    width: 8
                    height: 2
                    radius: 1
                    color: card.palette.highlight
                }
            }
            ColumnLayout {
                spacing: 0
                Layout.fillWidth: true
                Label {
                    text: card.name
                    font.pixelSize: 15
                    font.weight: Font.DemiBold
                    textFormat: Text.PlainText
                    elide: Text.ElideRight
                    Layout.fillWidth: true
                }
                Label {
                    text: card.address
                    textFormat: Text.PlainText
                    elide: Text.ElideRight
                    opacity: 0.6
                    font.pixelSize: 12
                    Layout.fillWidth: true
                }
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
            delegate: RowLayout {
                id: roomRow
                required property var modelData
                Layout.fillWidth: true
                spacing: 8
                ColumnLayout {
                    spacing: 0
                    Layout.fillWidth: true
                    Label {
                        text: roomRow.modelData.name
                        textFormat: Text.PlainText
                        elide: Text.ElideRight
                        font.weight: Font.Medium
                        Layout.fillWidth: true
                    }
                    Label {
                        text: qsTr("%n person(s)", "", roomRow.modelData.members)
                              + (roomRow.modelData.password ? "  ·  " + qsTr("needs a password") : "")
                        opacity: 0.65
                        font.pixelSize: 12
                        Layout.fillWidth: true
                    }
                }
                ActionButton {
                    text: qsTr("Join")
                    onClicked: {
                        if (roomRow.modelData.password)
                            card.passwordRoom = roomRow.modelData.name
                        else
                            card.joinRequested(roomRow.modelData.name, "")
                    }
                    Accessible.name: qsTr("Join %1 on %2").arg(roomRow.modelData.name).arg(card.name)
                }
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
            ActionButton {
                text: qsTr("Join")
                enabled: newRoomField.text.trim().length > 0
                onClicked: card.joinRequested(newRoomField.text.trim(), "")
                Accessible.name: qsTr("Start the room on %1").arg(card.name)
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
                Accessible.description: qsTr("Password of %1").arg(card.passwordRoom)
            }
            PrimaryButton {
                text: qsTr("Join")
                enabled: roomPasswordField.text.length > 0
                onClicked: card.joinRequested(card.passwordRoom, roomPasswordField.text)
                Accessible.name: qsTr("Join %1 with this password").arg(card.passwordRoom)
            }
            ActionButton {
                flat: true
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
