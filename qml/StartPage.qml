pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Inkroom.Ui

// The start screen: who you are, join a room, or host one.
Page {
    id: page
    objectName: "startPage"

    //! Join what the form says (Enter in any of its fields, or the Join button).
    function join() {
        App.displayName = nameField.text
        App.join(addressField.text, roomField.text, passwordField.text)
    }

    function host() {
        App.displayName = nameField.text
        App.host(hostRoomField.text, hostPasswordField.text)
    }

    ScrollView {
        anchors.fill: parent
        contentWidth: availableWidth

        ColumnLayout {
            width: Math.min(parent.width - 48, 720)
            anchors.horizontalCenter: parent.horizontalCenter
            spacing: 20

            Item { Layout.preferredHeight: 16 }

            Label {
                text: qsTr("Inkroom")
                font.pixelSize: 34
                font.weight: Font.DemiBold
            }
            Label {
                text: qsTr("Draw and chat together, live, on your local network.")
                opacity: 0.75
                Layout.fillWidth: true
                wrapMode: Text.WordWrap
            }

            // A room this computer still serves although its host left it: say so, with the way back and the way out.
            Rectangle {
                objectName: "stillHosting"
                visible: App.backgroundRoom.length > 0
                Layout.fillWidth: true
                implicitHeight: hostingRow.implicitHeight + 20
                radius: 6
                color: "#e8f5e9"
                border.color: "#81c784"
                Accessible.role: Accessible.AlertMessage
                Accessible.name: hostingLabel.text

                RowLayout {
                    id: hostingRow
                    anchors.fill: parent
                    anchors.margins: 10
                    spacing: 10
                    ColumnLayout {
                        Layout.fillWidth: true
                        spacing: 2
                        Label {
                            id: hostingLabel
                            objectName: "stillHostingText"
                            Layout.fillWidth: true
                            textFormat: Text.PlainText
                            elide: Text.ElideRight // one line: wrapped text here makes the layouts loop
                            font.weight: Font.DemiBold
                            text: qsTr("Still hosting %1").arg(App.hostingText)
                        }
                        Label {
                            Layout.fillWidth: true
                            textFormat: Text.PlainText
                            elide: Text.ElideRight
                            font.pixelSize: 12
                            opacity: 0.8
                            visible: App.joinCode.length > 0
                            text: qsTr("Others can still join: code %1 · %2").arg(App.joinCode).arg(App.link)
                        }
                    }
                    Button {
                        text: qsTr("Open the room")
                        onClicked: App.openHostedRoom()
                    }
                    Button {
                        objectName: "stopHostingButton"
                        text: qsTr("Stop hosting")
                        onClicked: App.closeForEveryone()
                        ToolTip.visible: hovered
                        ToolTip.text: qsTr("Close the room for everyone in it: they are told that you closed it")
                    }
                }
            }

            GroupBox {
                title: qsTr("You")
                Layout.fillWidth: true
                ColumnLayout {
                    anchors.fill: parent
                    spacing: 10
                    RowLayout {
                        Layout.fillWidth: true
                        Label { text: qsTr("Name") }
                        TextField {
                            id: nameField
                            Layout.fillWidth: true
                            text: App.displayName
                            maximumLength: 40
                            placeholderText: qsTr("Your name, as others see it")
                            onEditingFinished: App.displayName = text
                            Accessible.name: qsTr("Display name")
                        }
                    }
                    Flow {
                        Layout.fillWidth: true
                        spacing: 6
                        Repeater {
                            model: App.palette
                            delegate: ColourSwatch {
                                required property color modelData
                                swatch: modelData
                                selected: Qt.colorEqual(App.colour, modelData)
                                onClicked: App.colour = modelData
                            }
                        }
                    }
                }
            }

            GroupBox {
                title: qsTr("On this network")
                objectName: "onThisNetwork"
                Layout.fillWidth: true
                ColumnLayout {
                    anchors.fill: parent
                    spacing: 8
                    Repeater {
                        model: App.networkServers
                        delegate: NetworkServerCard {
                            id: serverCard
                            onJoinRequested: (room, password) => {
                                App.displayName = nameField.text
                                App.joinFromNetwork(serverCard.name, room, password)
                            }
                        }
                    }
                    Label {
                        objectName: "networkStatus"
                        visible: App.networkServers.count === 0 || !App.networkServers.available
                        text: App.networkServers.available
                              ? qsTr("No Inkroom servers found on this network yet. Rooms hosted nearby appear here by themselves.")
                              : App.networkServers.unavailableReason
                        textFormat: Text.PlainText
                        wrapMode: Text.WordWrap
                        opacity: 0.7
                        Layout.fillWidth: true
                    }
                }
            }

            GroupBox {
                title: qsTr("Join a room")
                Layout.fillWidth: true
                ColumnLayout {
                    anchors.fill: parent
                    spacing: 10
                    TextField {
                        id: addressField
                        objectName: "addressField"
                        Layout.fillWidth: true
                        placeholderText: qsTr("Link, room code or server address, e.g. K7F-Q2M or inkroom://192.168.1.20:7420/design")
                        onAccepted: page.join()
                        Accessible.name: qsTr("Link, room code or server address")
                    }
                    RowLayout {
                        Layout.fillWidth: true
                        TextField {
                            id: roomField
                            Layout.fillWidth: true
                            maximumLength: 64
                            placeholderText: qsTr("Room (not needed with a link)")
                            onAccepted: page.join()
                            Accessible.name: qsTr("Room name")
                        }
                        TextField {
                            id: passwordField
                            Layout.preferredWidth: 200
                            echoMode: TextInput.Password
                            placeholderText: qsTr("Password, if any")
                            onAccepted: page.join()
                            Accessible.name: qsTr("Room password")
                        }
                        Button {
                            text: qsTr("Join")
                            highlighted: true
                            enabled: nameField.text.trim().length > 0 && addressField.text.trim().length > 0
                            onClicked: page.join()
                        }
                    }
                    Label {
                        objectName: "joinError"
                        text: App.joinError
                        visible: text.length > 0
                        color: "#d32f2f"
                        textFormat: Text.PlainText
                        wrapMode: Text.WordWrap
                        Layout.fillWidth: true
                    }
                    Label {
                        visible: App.recentRooms.count > 0
                        text: qsTr("Recent rooms")
                        opacity: 0.7
                    }
                    Repeater {
                        model: App.recentRooms
                        delegate: RowLayout {
                            id: recent
                            required property string link
                            required property string server
                            required property string room
                            Layout.fillWidth: true
                            Button {
                                flat: true
                                Layout.fillWidth: true
                                contentItem: Label {
                                    text: recent.room + "  ·  " + recent.server
                                    textFormat: Text.PlainText
                                    elide: Text.ElideRight
                                    horizontalAlignment: Text.AlignLeft
                                }
                                onClicked: {
                                    App.displayName = nameField.text
                                    App.join(recent.link)
                                }
                                Accessible.name: qsTr("Join %1").arg(recent.room)
                            }
                            ToolButton {
                                text: "✕"
                                onClicked: App.recentRooms.forget(recent.link)
                                ToolTip.visible: hovered
                                ToolTip.text: qsTr("Forget this room")
                                Accessible.name: qsTr("Forget %1").arg(recent.room)
                            }
                        }
                    }
                }
            }

            GroupBox {
                title: qsTr("Host a room on this computer")
                Layout.fillWidth: true
                ColumnLayout {
                    anchors.fill: parent
                    spacing: 10
                    Label {
                        text: qsTr("Inkroom runs its server on this computer. People on the same network join with the link it shows you.")
                        wrapMode: Text.WordWrap
                        Layout.fillWidth: true
                        opacity: 0.75
                    }
                    RowLayout {
                        Layout.fillWidth: true
                        TextField {
                            id: hostRoomField
                            objectName: "hostRoomField"
                            Layout.fillWidth: true
                            maximumLength: 64
                            text: App.suggestRoomName()
                            onAccepted: page.host()
                            Accessible.name: qsTr("Name of the room to host")
                        }
                        TextField {
                            id: hostPasswordField
                            Layout.preferredWidth: 200
                            echoMode: TextInput.Password
                            placeholderText: qsTr("Password (optional)")
                            onAccepted: page.host()
                            Accessible.name: qsTr("Password for the hosted room")
                        }
                        Button {
                            text: App.hostPending ? qsTr("Starting…") : qsTr("Host")
                            highlighted: true
                            enabled: hostRoomField.text.trim().length > 0 && nameField.text.trim().length > 0
                                     && !App.hostPending
                            onClicked: page.host()
                        }
                    }
                    CheckBox {
                        objectName: "announceCheck"
                        text: qsTr("Announce it on this network, so people nearby see it under “On this network”")
                        checked: App.announceHostedRooms
                        onToggled: App.announceHostedRooms = checked
                    }
                    Label {
                        objectName: "hostError"
                        text: App.hostError
                        visible: text.length > 0
                        color: "#d32f2f"
                        textFormat: Text.PlainText
                        wrapMode: Text.WordWrap
                        Layout.fillWidth: true
                    }
                }
            }

            Label {
                text: qsTr("Version %1").arg(App.version)
                opacity: 0.5
                font.pixelSize: 11
            }
            Item { Layout.preferredHeight: 16 }
        }
    }
}
