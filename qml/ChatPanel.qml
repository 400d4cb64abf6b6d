pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Inkroom.Client

// The room's chat: history, pending messages, typing, and the box to write in.
ColumnLayout {
    id: panel

    required property Session session
    //! A private conversation: the next messages go to this person only ("" = the room).
    property string directTo: ""
    property string directName: ""
    spacing: 0

    function startDirect(clientId: string, name: string) {
        directTo = clientId
        directName = name
        input.forceActiveFocus()
    }

    ListView {
        id: list
        Layout.fillWidth: true
        Layout.fillHeight: true
        clip: true
        model: panel.session.chat
        spacing: 2
        reuseItems: true
        boundsBehavior: Flickable.StopAtBounds
        ScrollBar.vertical: ScrollBar {}
        Accessible.role: Accessible.List
        Accessible.name: qsTr("Chat messages")

        // Follow new messages while the view is at the bottom; leave it alone while the user reads back.
        property bool atEnd: true
        onMovementEnded: atEnd = list.atYEnd
        onCountChanged: if (atEnd) Qt.callLater(list.positionViewAtEnd)
        Component.onCompleted: positionViewAtEnd()

        delegate: Rectangle {
            id: message
            required property string author
            required property color colour
            required property string text
            required property date time
            required property bool own
            required property bool pending
            required property bool continuation
            required property bool direct
            required property string peerName
            required property bool notice

            width: ListView.view.width
            implicitHeight: message.notice ? noticeLabel.implicitHeight + 8 : column.implicitHeight + 8
            // A screen reader reads each message as one line: who, what, and whether it went out.
            Accessible.role: Accessible.ListItem
            Accessible.name: message.notice ? message.text : qsTr("%1: %2").arg(message.author).arg(message.text)
            Accessible.description: message.pending ? qsTr("Sending…")
                                                    : message.direct ? qsTr("Private message") : ""
            color: direct ? "#fff4e5" : own ? Qt.alpha(palette.highlight, 0.10) : "transparent"

            // A line about the room ("Ann joined"), not a message.
            Label {
                id: noticeLabel
                objectName: "chatNotice"
                visible: message.notice
                anchors.left: parent.left
                anchors.right: parent.right
                anchors.verticalCenter: parent.verticalCenter
                anchors.leftMargin: 10
                anchors.rightMargin: 10
                horizontalAlignment: Text.AlignHCenter
                text: qsTr("%1 · %2").arg(message.text).arg(Qt.formatTime(message.time, "hh:mm"))
                textFormat: Text.PlainText
                wrapMode: Text.Wrap
                font.pixelSize: 11
                font.italic: true
                opacity: 0.6
            }

            ColumnLayout {
                id: column
                visible: !message.notice
                anchors.left: parent.left
                anchors.right: parent.right
                anchors.top: parent.top
                anchors.margins: 4
                anchors.leftMargin: 10
                anchors.rightMargin: 10
                spacing: 1
                RowLayout {
                    visible: !message.continuation
                    Label {
                        text: message.author
                        textFormat: Text.PlainText
                        color: message.colour
                        font.weight: Font.DemiBold
                        elide: Text.ElideRight
                        Layout.maximumWidth: column.width - 80
                    }
                    Label {
                        text: Qt.formatTime(message.time, "hh:mm")
                        opacity: 0.55
                        font.pixelSize: 11
                    }
                }
                Label {
                    visible: message.direct
                    text: message.own ? qsTr("Private, to %1").arg(message.peerName) : qsTr("Private, only to you")
                    textFormat: Text.PlainText
                    font.pixelSize: 11
                    color: "#8d6e63"
                }
                Label {
                    Layout.fillWidth: true
                    text: message.text
                    textFormat: Text.PlainText
                    wrapMode: Text.Wrap
                    opacity: message.pending ? 0.6 : 1
                }
                Label {
                    visible: message.pending
                    // A room that was closed (or a session that gave up) will not take it now: say so, keep it shown.
                    text: panel.session.state === Session.Failed ? qsTr("Not delivered") : qsTr("Sending…")
                    font.pixelSize: 11
                    font.italic: true
                    opacity: 0.6
                }
            }
        }
    }

    Label {
        Layout.fillWidth: true
        Layout.leftMargin: 10
        Layout.rightMargin: 10
        visible: panel.session.people.typingNames.length > 0
        textFormat: Text.PlainText
        elide: Text.ElideRight
        font.pixelSize: 11
        opacity: 0.7
        text: {
            const names = panel.session.people.typingNames
            if (names.length === 1)
                return qsTr("%1 is typing…").arg(names[0])
            if (names.length === 2)
                return qsTr("%1 and %2 are typing…").arg(names[0]).arg(names[1])
            return qsTr("Several people are typing…")
        }
    }

    RowLayout {
        objectName: "directChip"
        visible: panel.directTo.length > 0
        Layout.fillWidth: true
        Layout.leftMargin: 10
        Layout.rightMargin: 6
        Label {
            Layout.fillWidth: true
            text: qsTr("Private message to %1").arg(panel.directName)
            textFormat: Text.PlainText
            elide: Text.ElideRight
            color: "#8d6e63"
        }
        ToolButton {
            text: qsTr("Back to the room")
            onClicked: panel.directTo = ""
        }
    }

    ScrollView {
        Layout.fillWidth: true
        Layout.maximumHeight: 120
        Layout.margins: 8
        Layout.bottomMargin: 0
        TextArea {
            id: input
            objectName: "chatInput"
            // Short enough for the narrowest panel; how to send is said under the box.
            placeholderText: panel.directTo.length > 0 ? qsTr("Message %1 privately").arg(panel.directName)
                                                       : qsTr("Message the room")
            wrapMode: TextEdit.Wrap
            textFormat: TextEdit.PlainText
            Accessible.name: qsTr("Chat message")
            onTextChanged: panel.session.setTyping(text.length > 0)
            Keys.onPressed: (event) => {
                if ((event.key === Qt.Key_Return || event.key === Qt.Key_Enter) && !(event.modifiers & Qt.ShiftModifier)) {
                    event.accepted = true
                    const sent = input.text.trim().length > 0
                        && (panel.directTo.length > 0 ? panel.session.sendDirect(panel.directTo, input.text)
                                                      : panel.session.sendChat(input.text))
                    if (sent) {
                        input.clear()
                        list.atEnd = true
                        list.positionViewAtEnd()
                    }
                }
            }
        }
    }
    Label {
        objectName: "chatHint"
        Layout.fillWidth: true
        Layout.leftMargin: 10
        Layout.rightMargin: 10
        Layout.bottomMargin: 6
        text: qsTr("Enter sends · Shift+Enter starts a new line")
        wrapMode: Text.WordWrap
        font.pixelSize: 11
        opacity: 0.6
    }
}
