use crate::on_both_backends;

on_both_backends! {
    async fn home_page_names_the_product_and_its_version(app: app) {
        let response = app.get("/").await;
        assert_eq!(response.status(), 200);
        assert!(response.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
        let body = response.text().await.unwrap();
        assert!(body.contains("<h1>Reverie</h1>"), "{body}");
        assert!(body.contains(app::VERSION), "{body}");
        assert!(body.contains(r#"<nav aria-label="Main">"#), "{body}");
    }

    async fn pages_load_the_hydration_bundle(app: app) {
        let body = app.get("/").await.text().await.unwrap();
        assert!(body.contains("/pkg/reverie.js"), "{body}");
        assert!(body.contains("/pkg/reverie.css"), "{body}");
    }

    async fn about_page_is_served_by_its_own_route(app: app) {
        let response = app.get("/about").await;
        assert_eq!(response.status(), 200);
        let body = response.text().await.unwrap();
        assert!(body.contains("About Reverie"), "{body}");
        assert!(body.contains("<title>About · Reverie</title>"), "{body}");
    }

    async fn unknown_paths_answer_404_with_the_not_found_page(app: app) {
        let response = app.get("/cases/999999/../../etc/passwd").await;
        assert_eq!(response.status(), 404);
        let body = response.text().await.unwrap();
        assert!(body.contains("Page not found"), "{body}");
        assert!(body.contains(r#"<nav aria-label="Main">"#), "the 404 page keeps the site's navigation");
    }
}
