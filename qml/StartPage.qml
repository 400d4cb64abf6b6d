pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Inkroom.Client
import Inkroom.Ui

// The start screen: host a room or join one, the rooms on this network and the rooms opened before, each as a card;
// who you are (name and colour) is chosen once and shown as a chip. Everything it shows comes from App.
Page {
    id: page
    objectName: "startPage"
    Accessible.name: qsTr("Inkroom start page")

    readonly property bool dark: palette.window.hslLightness < 0.5
    readonly property color errorColour: dark ? "#ff8a80" : "#c62828"
    //! The name and colour editor is open: at first (nothing chosen yet), or after the chip was clicked.
    property bool editingProfile: false

    Component.onCompleted: editingProfile = !App.profile.saved

    //! A text field with room to breathe.
    component Field: TextField {
        topPadding: 9
        bottomPadding: 9
        leftPadding: 10
        rightPadding: 10
    }

    //! The name typed in the editor, when it is open, becomes App's before anything is opened with it.
    function saveName() {
        if (page.editingProfile)
            App.profile.displayName = nameField.text
    }

    //! Join what the form says (Enter in any of its fields, or the Join button).
    function join() {
        page.saveName()
        App.join(addressField.text, roomField.text, passwordField.text)
    }

    function host() {
        page.saveName()
        App.host(hostRoomField.text, hostPasswordField.text)
    }

    ScrollView {
        id: scroll
        anchors.fill: parent
        contentWidth: availableWidth

        ColumnLayout {
            id: column
            width: Math.min(scroll.availableWidth - 64, 1040)
            x: (scroll.availableWidth - width) / 2
            spacing: 24

            Item { Layout.preferredHeight: 12 }

            // ---- Who the app is, and who you are ----
            RowLayout {
                Layout.fillWidth: true
                spacing: 14
                Image {
                    source: "logo.png"
                    sourceSize: Qt.size(96, 96)
                    Layout.preferredWidth: 48
                    Layout.preferredHeight: 48
                    smooth: true
                    mipmap: true
                    Accessible.ignored: true
                }
                ColumnLayout {
                    spacing: 0
                    Layout.fillWidth: true
                    Label {
                        text: qsTr("Inkroom")
                        font.pixelSize: 28
                        font.weight: Font.DemiBold
                        Accessible.role: Accessible.Heading
                    }
                    Label {
                        text: qsTr("Draw and chat together, live, on your local network.")
                        opacity: 0.7
                        wrapMode: Text.WordWrap
                        Layout.fillWidth: true
                    }
                }
                AbstractButton {
                    id: profileChip
                    objectName: "profileChip"
                    focusPolicy: Qt.StrongFocus
                    hoverEnabled: true
                    checkable: false
                    onClicked: page.editingProfile = !page.editingProfile
                    Keys.onReturnPressed: clicked()
                    Keys.onEnterPressed: clicked()
                    Accessible.role: Accessible.Button
                    Accessible.name: qsTr("You: %1, %2. Change your name or colour").arg(App.profile.displayName)
                        .arg(App.profile.colourName(App.profile.colour))
                    ToolTip.visible: hovered
                    ToolTip.delay: 600
                    ToolTip.text: qsTr("How others see you: change your name or colour")
                    padding: 6
                    rightPadding: 14
                    background: Rectangle {
                        radius: height / 2
                        color: Qt.tint(page.dark ? Qt.lighter(page.palette.window, 1.35) : page.palette.base,
                                       Qt.alpha(page.palette.highlight, profileChip.hovered || page.editingProfile ? 0.1 : 0))
                        border.width: profileChip.visualFocus ? 2 : 1
                        border.color: profileChip.visualFocus ? page.palette.highlight
                                                              : Qt.alpha(page.palette.windowText, 0.14)
                    }
                    contentItem: RowLayout {
                        spacing: 8
                        Rectangle {
                            width: 30
                            height: 30
                            radius: 15
                            color: App.profile.colour
                            Label {
                                anchors.centerIn: parent
                                text: App.profile.displayName.charAt(0).toUpperCase()
                                textFormat: Text.PlainText
                                color: App.profile.colour.hslLightness > 0.6 ? "black" : "white"
                                font.weight: Font.DemiBold
                            }
                        }
                        Label {
                            text: App.profile.displayName
                            textFormat: Text.PlainText
                            font.weight: Font.Medium
                            elide: Text.ElideRight
                            Layout.maximumWidth: 200
                        }
                        Label {
                            text: page.editingProfile ? "▴" : "▾"
                            opacity: 0.6
                        }
                    }
                }
            }

            // ---- The name and colour, set once ----
            StartCard {
                objectName: "profileEditor"
                visible: page.editingProfile
                Layout.fillWidth: true
                Accessible.role: Accessible.Grouping
                Accessible.name: qsTr("How others see you")
                ColumnLayout {
                    anchors.fill: parent
                    spacing: 14
                    Label {
                        text: qsTr("How others see you")
                        font.pixelSize: 17
                        font.weight: Font.DemiBold
                    }
                    Label {
                        text: qsTr("Your name and colour mark your pointer, your drawing and your messages. Inkroom remembers them.")
                        wrapMode: Text.WordWrap
                        opacity: 0.7
                        Layout.fillWidth: true
                    }
                    GridLayout {
                        columns: 2
                        columnSpacing: 16
                        rowSpacing: 12
                        Layout.fillWidth: true
                        Label { text: qsTr("Name") }
                        Field {
                            id: nameField
                            objectName: "nameField"
                            Layout.fillWidth: true
                            Layout.maximumWidth: 360
                            text: App.profile.displayName
                            maximumLength: 40
                            placeholderText: qsTr("Your name, as others see it")
                            onEditingFinished: App.profile.displayName = text
                            Accessible.name: qsTr("Your name")
                        }
                        Label { text: qsTr("Colour") }
                        ColourPicker {
                            objectName: "colourPicker"
                            Layout.fillWidth: true
                            colours: App.profile.palette
                            current: App.profile.colour
                            groupName: qsTr("Your colour")
                            onPicked: (colour) => App.profile.colour = colour
                        }
                    }
                    ActionButton {
                        objectName: "profileDone"
                        text: qsTr("Done")
                        Layout.alignment: Qt.AlignRight
                        enabled: nameField.text.trim().length > 0
                        onClicked: {
                            App.profile.displayName = nameField.text
                            page.editingProfile = false
                            profileChip.forceActiveFocus(Qt.TabFocusReason)
                        }
                    }
                }
            }

            // ---- A room this computer still serves although its host left it ----
            Rectangle {
                objectName: "stillHosting"
                visible: App.backgroundRoom.length > 0
                Layout.fillWidth: true
                implicitHeight: hostingRow.implicitHeight + 28
                radius: 12
                color: Qt.alpha("#43a047", page.dark ? 0.22 : 0.12)
                border.color: Qt.alpha("#43a047", 0.55)
                Accessible.role: Accessible.AlertMessage
                Accessible.name: hostingLabel.text

                RowLayout {
                    id: hostingRow
                    anchors.fill: parent
                    anchors.margins: 14
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
                    PrimaryButton {
                        text: qsTr("Open the room")
                        onClicked: App.openHostedRoom()
                    }
                    ActionButton {
                        objectName: "stopHostingButton"
                        text: qsTr("Stop hosting")
                        onClicked: App.closeForEveryone()
                        ToolTip.visible: hovered
                        ToolTip.text: qsTr("Close the room for everyone in it: they are told that you closed it")
                    }
                }
            }

            // ---- The two first actions ----
            GridLayout {
                Layout.fillWidth: true
                columns: column.width > 760 ? 2 : 1
                columnSpacing: 20
                rowSpacing: 20

                StartCard {
                    objectName: "hostCard"
                    Layout.fillWidth: true
                    Layout.fillHeight: true
                    Layout.preferredWidth: 1
                    Accessible.role: Accessible.Grouping
                    Accessible.name: qsTr("Host a room")
                    ColumnLayout {
                        anchors.fill: parent
                        spacing: 12
                        Label {
                            text: qsTr("Host a room")
                            font.pixelSize: 20
                            font.weight: Font.DemiBold
                            Accessible.role: Accessible.Heading
                        }
                        Label {
                            text: qsTr("Inkroom runs the room on this computer. People on the same network join with its code or link.")
                            wrapMode: Text.WordWrap
                            Layout.fillWidth: true
                            opacity: 0.7
                        }
                        Field {
                            id: hostRoomField
                            objectName: "hostRoomField"
                            Layout.fillWidth: true
                            maximumLength: 64
                            text: App.hostRoomName
                            placeholderText: qsTr("Room name")
                            onAccepted: page.host()
                            Accessible.name: qsTr("Name of the room to host")
                        }
                        Field {
                            id: hostPasswordField
                            objectName: "hostPasswordField"
                            Layout.fillWidth: true
                            echoMode: TextInput.Password
                            placeholderText: qsTr("Password (optional)")
                            onAccepted: page.host()
                            Accessible.name: qsTr("Password for the hosted room")
                            // Qt reads no name for a password field, only its description.
                            Accessible.description: qsTr("Password for the hosted room, optional")
                        }
                        CheckBox {
                            objectName: "announceCheck"
                            text: qsTr("Announce it on this network, so people nearby see it")
                            checked: App.announceHostedRooms
                            onToggled: App.announceHostedRooms = checked
                            Keys.onReturnPressed: toggle()
                            Layout.fillWidth: true
                        }
                        Item { Layout.fillHeight: true }
                        Label {
                            objectName: "hostError"
                            text: App.hostError
                            visible: text.length > 0
                            color: page.errorColour
                            textFormat: Text.PlainText
                            wrapMode: Text.WordWrap
                            Layout.fillWidth: true
                        }
                        PrimaryButton {
                            objectName: "hostButton"
                            text: App.hostPending ? qsTr("Starting…") : qsTr("Host")
                            Layout.alignment: Qt.AlignRight
                            Layout.preferredWidth: Math.max(implicitWidth, 120)
                            enabled: hostRoomField.text.trim().length > 0 && !App.hostPending
                            onClicked: page.host()
                            Accessible.name: qsTr("Host the room")
                        }
                    }
                }

                StartCard {
                    objectName: "joinCard"
                    Layout.fillWidth: true
                    Layout.fillHeight: true
                    Layout.preferredWidth: 1
                    Accessible.role: Accessible.Grouping
                    Accessible.name: qsTr("Join a room")
                    ColumnLayout {
                        anchors.fill: parent
                        spacing: 12
                        Label {
                            text: qsTr("Join a room")
                            font.pixelSize: 20
                            font.weight: Font.DemiBold
                            Accessible.role: Accessible.Heading
                        }
                        Label {
                            text: qsTr("Type the code the host reads out, or paste the room's link.")
                            wrapMode: Text.WordWrap
                            Layout.fillWidth: true
                            opacity: 0.7
                        }
                        Field {
                            id: addressField
                            objectName: "addressField"
                            Layout.fillWidth: true
                            placeholderText: qsTr("K7F-Q2M or inkroom://192.168.1.20:7420/design")
                            onAccepted: page.join()
                            Accessible.name: qsTr("Link, room code or server address")
                        }
                        RowLayout {
                            Layout.fillWidth: true
                            spacing: 8
                            Field {
                                id: roomField
                                objectName: "roomField"
                                Layout.fillWidth: true
                                maximumLength: 64
                                placeholderText: qsTr("Room (with an address)")
                                onAccepted: page.join()
                                Accessible.name: qsTr("Room name")
                                Accessible.description: qsTr("Needed only with a server address, not with a link or a code")
                            }
                            Field {
                                id: passwordField
                                objectName: "passwordField"
                                Layout.fillWidth: true
                                echoMode: TextInput.Password
                                placeholderText: qsTr("Password, if any")
                                onAccepted: page.join()
                                Accessible.name: qsTr("Room password")
                                Accessible.description: qsTr("Password of the room, if it has one")
                            }
                        }
                        Item { Layout.fillHeight: true }
                        Label {
                            objectName: "joinError"
                            text: App.joinError
                            visible: text.length > 0
                            color: page.errorColour
                            textFormat: Text.PlainText
                            wrapMode: Text.WordWrap
                            Layout.fillWidth: true
                        }
                        PrimaryButton {
                            objectName: "joinButton"
                            text: qsTr("Join")
                            Layout.alignment: Qt.AlignRight
                            Layout.preferredWidth: Math.max(implicitWidth, 120)
                            enabled: addressField.text.trim().length > 0
                            onClicked: page.join()
                            Accessible.name: qsTr("Join the room")
                        }
                    }
                }
            }

            // ---- On this network ----
            ColumnLayout {
                objectName: "onThisNetwork"
                Layout.fillWidth: true
                spacing: 12
                Label {
                    text: qsTr("On this network")
                    font.pixelSize: 17
                    font.weight: Font.DemiBold
                    Accessible.role: Accessible.Heading
                }
                RowLayout {
                    visible: App.networkServers.statusText.length > 0
                    Layout.fillWidth: true
                    spacing: 8
                    BusyIndicator {
                        visible: App.networkServers.discovery === NetworkServersModel.Starting
                                 || App.networkServers.discovery === NetworkServersModel.Listening
                        running: visible
                        Layout.preferredWidth: 20
                        Layout.preferredHeight: 20
                        Accessible.ignored: true
                    }
                    Label {
                        objectName: "networkStatus"
                        text: App.networkServers.statusText
                        textFormat: Text.PlainText
                        wrapMode: Text.WordWrap
                        opacity: 0.7
                        Layout.fillWidth: true
                    }
                }
                GridLayout {
                    visible: App.networkServers.count > 0
                    Layout.fillWidth: true
                    columns: column.width > 760 ? 2 : 1
                    columnSpacing: 20
                    rowSpacing: 20
                    Repeater {
                        model: App.networkServers
                        delegate: NetworkServerCard {
                            id: serverCard
                            Layout.fillWidth: true
                            Layout.preferredWidth: 1
                            Layout.alignment: Qt.AlignTop
                            onJoinRequested: (room, password) => {
                                page.saveName()
                                App.joinFromNetwork(serverCard.name, room, password)
                            }
                        }
                    }
                }
            }

            // ---- Rooms opened before ----
            ColumnLayout {
                objectName: "recentRooms"
                visible: App.recentRooms.count > 0
                Layout.fillWidth: true
                spacing: 12
                Label {
                    text: qsTr("Recent rooms")
                    font.pixelSize: 17
                    font.weight: Font.DemiBold
                    Accessible.role: Accessible.Heading
                }
                GridLayout {
                    Layout.fillWidth: true
                    columns: Math.max(1, Math.floor((column.width + 16) / 276))
                    columnSpacing: 16
                    rowSpacing: 16
                    Repeater {
                        model: App.recentRooms
                        delegate: RecentRoomCard {
                            Layout.fillWidth: true
                            Layout.fillHeight: true
                            Layout.preferredWidth: 1
                            onOpenRequested: (link) => {
                                page.saveName()
                                App.openRecent(link)
                            }
                        }
                    }
                }
            }

            Label {
                text: qsTr("Version %1").arg(App.version)
                opacity: 0.45
                font.pixelSize: 11
                Layout.alignment: Qt.AlignHCenter
            }
            Item { Layout.preferredHeight: 16 }
        }
    }
}
