//! The kit commands: build a preview, export, the history, and template editing.

use tauri::State;
use tend::kit::export::{self, Format, KitRecord};
use tend::kit::{self, template, KitPreview, KitRequest};
use tend::time;

use crate::{AppState, Reply};

#[tauri::command]
pub async fn kit_preview(state: State<'_, AppState>, request: KitRequest) -> Reply<KitPreview> {
    Ok(kit::preview(state.store()?, &request, time::today()).await?)
}

#[tauri::command]
pub async fn kit_export(
    state: State<'_, AppState>,
    request: KitRequest,
    path: String,
) -> Reply<Format> {
    let path = std::path::Path::new(&path);
    let (_, format) = export::make(state.store()?, &request, time::today(), path).await?;
    Ok(format)
}

#[tauri::command]
pub async fn kit_history(state: State<'_, AppState>) -> Reply<Vec<KitRecord>> {
    Ok(export::history(state.store()?, 100).await?)
}

#[tauri::command]
pub async fn kit_template_text(
    state: State<'_, AppState>,
    name: String,
    lang: String,
) -> Reply<String> {
    Ok(template::text(state.store()?, &name, &lang).await?)
}

/// A kit template's title, message and sections, for the form.
#[tauri::command]
pub async fn kit_template_form(
    state: State<'_, AppState>,
    name: String,
    lang: String,
) -> Reply<template::TemplateForm> {
    Ok(template::form(state.store()?, &name, &lang).await?)
}

/// Saves the kit template form (checked like edited text).
#[tauri::command]
pub async fn kit_template_save_form(
    state: State<'_, AppState>,
    form: template::TemplateForm,
) -> Reply<()> {
    template::save_form(state.store()?, &form).await?;
    Ok(())
}

#[tauri::command]
pub async fn kit_template_save(state: State<'_, AppState>, text: String) -> Reply<()> {
    template::save(state.store()?, "the edited kit template", &text).await?;
    Ok(())
}
