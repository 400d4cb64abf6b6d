pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Inkroom.Client
import Inkroom.Ui

// The room's application menu: Room, Edit, Board, View and Help, by mouse and by keyboard (Alt and the underlined
// letter, then the arrow keys). Each key of the room belongs to exactly one action here, so no two shortcuts compete.
// It only asks: the room page does what is asked (the verbs are C++).
MenuBar {
    id: bar

    //! Light, dark or the system's (App.appearance).
    property Appearance appearance

    component AppearanceItem: MenuItem {
        required property int mode
        objectName: "appearance" + mode
        checkable: true
        checked: bar.appearance !== null && bar.appearance.mode === mode
        onTriggered: bar.appearance.mode = mode
    }
    objectName: "appMenuBar"

    required property Session session
    required property Whiteboard canvas
    //! Board keys stand aside while a text is edited on the board (the editor takes its own).
    property bool editingText: false
    property bool gridVisible: true

    signal inviteRequested()
    signal leaveRequested()
    signal quitRequested()
    signal cutRequested()
    signal copyRequested()
    signal pasteRequested()
    signal duplicateRequested()
    signal deleteRequested()
    signal selectAllRequested()
    signal restackRequested(bool toFront)
    signal addImageRequested()
    signal exportRequested()
    signal copyImageRequested()
    signal historyRequested()
    signal clearRequested()
    signal gridToggled(bool visible)
    signal syncHealthRequested()
    signal shortcutsRequested()
    signal aboutRequested()

    readonly property bool hasSelection: canvas.selectionCount > 0
    readonly property bool mayEdit: !session.viewOnly && !editingText

    // The actions (their shortcuts work whether or not a menu was ever opened: they live here, in the window).
    Action {
        id: inviteAction
        text: qsTr("&Invite people…")
        shortcut: "Ctrl+I"
        onTriggered: bar.inviteRequested()
    }
    Action {
        id: leaveAction
        text: qsTr("&Leave the room")
        shortcut: "Ctrl+W"
        onTriggered: bar.leaveRequested()
    }
    Action {
        id: quitAction
        text: qsTr("&Quit")
        shortcut: "Ctrl+Q"
        onTriggered: bar.quitRequested()
    }
    Action {
        id: undoAction
        text: qsTr("&Undo")
        shortcut: "Ctrl+Z"
        enabled: bar.session.canUndo && !bar.editingText
        onTriggered: bar.session.undo()
    }
    Action {
        id: redoAction
        text: qsTr("&Redo")
        shortcut: "Ctrl+Shift+Z"
        enabled: bar.session.canRedo && !bar.editingText
        onTriggered: bar.session.redo()
    }
    Action {
        id: cutAction
        text: qsTr("Cu&t")
        shortcut: "Ctrl+X"
        enabled: bar.hasSelection && bar.mayEdit
        onTriggered: bar.cutRequested()
    }
    Action {
        id: copyAction
        text: qsTr("&Copy")
        shortcut: "Ctrl+C"
        enabled: bar.hasSelection && !bar.editingText
        onTriggered: bar.copyRequested()
    }
    Action {
        id: pasteAction
        text: qsTr("&Paste")
        shortcut: "Ctrl+V"
        enabled: bar.mayEdit
        onTriggered: bar.pasteRequested()
    }
    Action {
        id: duplicateAction
        text: qsTr("D&uplicate")
        shortcut: "Ctrl+D"
        enabled: bar.hasSelection && bar.mayEdit
        onTriggered: bar.duplicateRequested()
    }
    Action {
        id: selectAllAction
        text: qsTr("Select &all")
        shortcut: "Ctrl+A"
        enabled: !bar.editingText
        onTriggered: bar.selectAllRequested()
    }
    Action {
        id: frontAction
        text: qsTr("Bring to &front")
        shortcut: "Ctrl+Shift+]"
        enabled: bar.hasSelection && bar.mayEdit
        onTriggered: bar.restackRequested(true)
    }
    Action {
        id: backAction
        text: qsTr("Send to &back")
        shortcut: "Ctrl+Shift+["
        enabled: bar.hasSelection && bar.mayEdit
        onTriggered: bar.restackRequested(false)
    }
    Action {
        id: addImageAction
        text: qsTr("Add &image…")
        shortcut: "Ctrl+Shift+I"
        enabled: !bar.session.viewOnly
        onTriggered: bar.addImageRequested()
    }
    Action {
        id: exportAction
        text: qsTr("&Export…")
        shortcut: "Ctrl+Shift+E"
        onTriggered: bar.exportRequested()
    }
    Action {
        id: copyImageAction
        text: qsTr("Copy as i&mage")
        shortcut: "Ctrl+Shift+C"
        enabled: !bar.editingText
        onTriggered: bar.copyImageRequested()
    }
    Action {
        id: historyAction
        text: qsTr("&History…")
        shortcut: "Ctrl+Shift+H"
        onTriggered: bar.historyRequested()
    }
    Action {
        id: clearAction
        text: qsTr("&Clear the board…")
        enabled: bar.session.isOwner && bar.canvas.itemCount > 0
        onTriggered: bar.clearRequested()
    }
    Action {
        id: zoomInAction
        text: qsTr("Zoom &in")
        shortcut: "Ctrl++"
        onTriggered: bar.canvas.zoomIn()
    }
    Action {
        id: zoomOutAction
        text: qsTr("Zoom &out")
        shortcut: "Ctrl+-"
        onTriggered: bar.canvas.zoomOut()
    }
    Action {
        id: actualSizeAction
        text: qsTr("&Actual size")
        shortcut: "Ctrl+0"
        onTriggered: bar.canvas.resetView()
    }
    Action {
        id: fitAction
        text: qsTr("&Fit the board")
        shortcut: "Shift+1"
        enabled: !bar.editingText
        onTriggered: bar.canvas.zoomToFit()
    }
    Action {
        id: gridAction
        text: qsTr("Show &grid")
        shortcut: "Ctrl+'"
        checkable: true
        checked: bar.gridVisible
        onToggled: bar.gridToggled(checked)
    }
    Action {
        id: detailsAction
        text: qsTr("Connection &details…")
        onTriggered: bar.syncHealthRequested()
    }
    Action {
        id: shortcutsAction
        text: qsTr("&Keyboard shortcuts")
        shortcut: "F1"
        onTriggered: bar.shortcutsRequested()
    }
    Action {
        id: aboutAction
        text: qsTr("&About Inkroom")
        onTriggered: bar.aboutRequested()
    }

    Menu {
        title: qsTr("&Room")
        KeyedMenuItem {
            objectName: "inviteMenuItem"
            action: inviteAction
        }
        MenuSeparator {}
        KeyedMenuItem {
            action: leaveAction
        }
        KeyedMenuItem {
            objectName: "quitMenuItem"
            action: quitAction
        }
    }

    Menu {
        title: qsTr("&Edit")
        KeyedMenuItem {
            action: undoAction
        }
        KeyedMenuItem {
            action: redoAction
        }
        MenuSeparator {}
        KeyedMenuItem {
            action: cutAction
        }
        KeyedMenuItem {
            objectName: "copyMenuItem"
            action: copyAction
        }
        KeyedMenuItem {
            objectName: "pasteMenuItem"
            action: pasteAction
        }
        KeyedMenuItem {
            action: duplicateAction
        }
        KeyedMenuItem {
            // The board takes Delete and Backspace itself: the keys are only shown here.
            keys: qsTr("Del")
            enabled: bar.hasSelection && bar.mayEdit
            text: qsTr("&Delete")
            onTriggered: bar.deleteRequested()
        }
        KeyedMenuItem {
            action: selectAllAction
        }
        MenuSeparator {}
        KeyedMenuItem {
            action: frontAction
        }
        KeyedMenuItem {
            action: backAction
        }
    }

    Menu {
        title: qsTr("&Board")
        KeyedMenuItem {
            objectName: "addImageItem"
            action: addImageAction
        }
        KeyedMenuItem {
            action: exportAction
        }
        KeyedMenuItem {
            action: copyImageAction
        }
        KeyedMenuItem {
            action: historyAction
        }
        MenuSeparator {}
        KeyedMenuItem {
            objectName: "clearMenuItem"
            action: clearAction
        }
    }

    Menu {
        objectName: "viewMenu"
        title: qsTr("&View")
        KeyedMenuItem {
            action: zoomInAction
        }
        KeyedMenuItem {
            action: zoomOutAction
        }
        KeyedMenuItem {
            action: actualSizeAction
        }
        KeyedMenuItem {
            action: fitAction
        }
        MenuSeparator {}
        KeyedMenuItem {
            objectName: "gridMenuItem"
            action: gridAction
        }
        Menu {
            id: followMenu
            objectName: "followMenu"
            title: qsTr("F&ollow")
            MenuItem {
                text: bar.session.following.active ? qsTr("Stop following") : qsTr("Following nobody")
                enabled: bar.session.following.active
                onTriggered: bar.session.following.stop()
            }
            MenuSeparator {}
            Instantiator {
                model: bar.session.people
                delegate: MenuItem {
                    required property string clientId
                    required property string name
                    required property bool self
                    required property string status
                    visible: !self
                    height: visible ? implicitHeight : 0
                    enabled: status === "online"
                    checkable: true
                    checked: bar.session.following.active && bar.session.following.presenterId === clientId
                    text: name
                    onTriggered: bar.session.followMember(clientId)
                }
                onObjectAdded: (index, object) => followMenu.insertItem(index + 2, object as MenuItem)
                onObjectRemoved: (index, object) => followMenu.removeItem(object as MenuItem)
            }
        }
        Menu {
            objectName: "appearanceMenu"
            title: qsTr("A&ppearance")
            AppearanceItem { mode: Appearance.System; text: qsTr("&System") }
            AppearanceItem { mode: Appearance.Light; text: qsTr("&Light") }
            AppearanceItem { mode: Appearance.Dark; text: qsTr("&Dark") }
        }
        MenuSeparator {}
        KeyedMenuItem {
            objectName: "syncHealthMenuItem"
            action: detailsAction
        }
    }

    Menu {
        objectName: "helpMenu"
        title: qsTr("&Help")
        KeyedMenuItem {
            objectName: "shortcutsMenuItem"
            action: shortcutsAction
        }
        KeyedMenuItem {
            action: aboutAction
        }
    }
}
